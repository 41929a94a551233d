package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MemoryCheckTest {

    @Test
    void countsSaturateInsteadOfOverflowing() {
        assertEquals(7, MemoryCheck.sum(3, 4));
        assertEquals(Long.MAX_VALUE, MemoryCheck.sum(Long.MAX_VALUE - 1, 2));
        assertEquals(Long.MAX_VALUE, MemoryCheck.sum(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(24, MemoryCheck.bytes(6, 4));
        assertEquals(Long.MAX_VALUE, MemoryCheck.bytes(Long.MAX_VALUE / 2, 4));
        assertEquals(4096L * 4096 * 2000, MemoryCheck.pixels(4096, 4096, 2000));
        assertEquals(Long.MAX_VALUE, MemoryCheck.pixels(1L << 32, 1L << 32));
    }
}
