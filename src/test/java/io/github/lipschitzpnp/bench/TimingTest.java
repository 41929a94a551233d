package io.github.lipschitzpnp.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TimingTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Timing.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void timeRunsWarmupAndRepeats() throws Exception {
        int[] calls = {0};
        Timing.Samples s = Timing.time(2, 3, () -> calls[0]++);
        assertEquals(5, calls[0]);
        assertEquals(3, s.seconds().length);
    }

    @Test
    void iterationDurationsLeaveOutTheFirst() {
        double[] stamps = {0, 5, 6, 8, 9};
        assertArrayEquals(new double[] {1, 2, 1}, Benchmarks.deltas(stamps, 4, 2));
        assertArrayEquals(new double[] {5}, Benchmarks.deltas(stamps, 1, 2));
    }
}
