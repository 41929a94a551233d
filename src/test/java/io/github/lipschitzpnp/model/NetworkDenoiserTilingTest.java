package io.github.lipschitzpnp.model;

import io.github.lipschitzpnp.image.Tiling;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkDenoiserTilingTest {

    @Test
    void balancedTilesCoverWithNoMoreTilesAndLessWork() {
        long overlap = 20;
        for (long n = 1; n <= 5000; n += 7) {
            long t = NetworkDenoiser.balancedTileSide(n, 512, overlap);
            assertTrue(t <= 512 && t > 2 * overlap, "tile side " + t + " for " + n);
            if (n <= 512) {
                assertEquals(512, t);
                continue;
            }
            int balanced = Tiling.of(t, overlap).tileCount(n, 1);
            int full = Tiling.of(512, overlap).tileCount(n, 1);
            assertTrue(balanced <= full, n + ": " + balanced + " tiles vs " + full);
            assertTrue(balanced * t <= full * 512L, n + ": more work than full tiles");
            // every pixel is covered: the last tile ends at the image's end, consecutive tiles overlap
            long[] covered = new long[(int) n];
            for (var iv : Tiling.of(t, overlap).tiles(n, 1)) {
                for (long i = iv.min(0); i <= iv.max(0); i++) {
                    covered[(int) i]++;
                }
            }
            for (long c : covered) {
                assertTrue(c >= 1, "uncovered pixel for n = " + n);
            }
        }
        assertEquals(355, NetworkDenoiser.balancedTileSide(1024, 512, 20));
        assertEquals(426, NetworkDenoiser.balancedTileSide(2048, 512, 20));
    }
}
