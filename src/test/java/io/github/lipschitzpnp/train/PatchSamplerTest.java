package io.github.lipschitzpnp.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {

    private static PatchSampler.Image2D ramp(int w, int h, long seed) {
        float[] d = new float[w * h];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return new PatchSampler.Image2D(d, w, h);
    }

    /** An augmentation switched off draws nothing: the batches are the plain sampler's, bit for bit. */
    private static void assertOffIsThePlainStream(PatchSampler.Image2D im, int p,
            java.util.function.UnaryOperator<PatchSampler> off) {
        float[] a = new float[4 * p * p];
        float[] b = new float[4 * p * p];
        new PatchSampler(List.of(im), p, 9).nextBatch(a, 4);
        off.apply(new PatchSampler(List.of(im), p, 9)).nextBatch(b, 4);
        assertArrayEquals(a, b);
    }

    @Test
    void patchesAreCutFromTheImagesUpToASymmetry() {
        PatchSampler.Image2D im = ramp(30, 20, 1);
        float[] out = new float[3 * 64];
        new PatchSampler(List.of(im), 8, 5).nextBatch(out, 3);
        for (int b = 0; b < 3; b++) {
            double sum = 0;
            for (int i = 0; i < 64; i++) {
                float v = out[b * 64 + i];
                assertTrue(v >= 0 && v <= 1);
                sum += v;
            }
            assertTrue(sum > 0, "a patch was filled");
        }
    }

    @Test
    void contrastIsARandomAffineMapIntoTheUnitRange() {
        PatchSampler.Image2D im = ramp(40, 40, 2);
        int p = 10;
        float[] plain = new float[p * p];
        float[] varied = new float[p * p];
        int lowContrast = 0;
        for (long seed = 0; seed < 40; seed++) {
            new PatchSampler(List.of(im), p, seed).nextBatch(plain, 1);
            new PatchSampler(List.of(im), p, seed).contrast(0.25).nextBatch(varied, 1);
            // same position and symmetry (drawn first), then v = a u + b
            int i0 = 0;
            int i1 = 1;
            for (int i = 0; i < plain.length; i++) {
                if (plain[i] < plain[i0]) {
                    i0 = i;
                }
                if (plain[i] > plain[i1]) {
                    i1 = i;
                }
            }
            double a = (varied[i1] - varied[i0]) / (double) (plain[i1] - plain[i0]);
            double b = varied[i0] - a * plain[i0];
            assertTrue(a >= 0.25 - 1e-6 && a <= 1 + 1e-6, "contrast factor " + a);
            assertTrue(b >= -1e-6 && b <= 1 - a + 1e-6, "offset " + b + " for factor " + a);
            for (int i = 0; i < plain.length; i++) {
                assertEquals(a * plain[i] + b, varied[i], 1e-5);
                assertTrue(varied[i] >= 0 && varied[i] <= 1);
            }
            if (a < 0.5) {
                lowContrast++;
            }
        }
        assertTrue(lowContrast >= 10, "log-uniform in [0.25, 1]: half the factors below 0.5, got " + lowContrast);
        assertOffIsThePlainStream(im, p, s -> s.contrast(1.0));
        assertThrows(IllegalArgumentException.class, () -> new PatchSampler(List.of(im), p, 1).contrast(0));
    }

    @Test
    void zoomEnlargesASmallerWindowBilinearly() {
        // f(x, y) = 0.01 x + 0.001 y: bilinear interpolation is exact on it, so a zoomed patch is the
        // same plane with slopes divided by the zoom (up to the symmetry, which permutes the axes)
        int w = 60;
        int h = 50;
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = 0.01f * x + 0.001f * y;
            }
        }
        PatchSampler.Image2D im = new PatchSampler.Image2D(d, w, h);
        int p = 12;
        float[] out = new float[20 * p * p];
        new PatchSampler(List.of(im), p, 3).zoom(2).nextBatch(out, 20);
        int zoomed = 0;
        for (int b = 0; b < 20; b++) {
            int o = b * p * p;
            double gx = out[o + 1] - out[o];
            double gy = out[o + p] - out[o];
            // the larger slope is the x slope 0.01 divided by the zoom z in [1, 2]
            double big = Math.max(Math.abs(gx), Math.abs(gy));
            double small = Math.min(Math.abs(gx), Math.abs(gy));
            assertTrue(big >= 0.005 - 1e-5 && big <= 0.01 + 1e-5, "slope " + big);
            assertEquals(big / 10, small, 1e-4, "the y slope follows the same zoom");
            if (big < 0.009) {
                zoomed++;
            }
            for (int j = 0; j < p; j++) {
                for (int i = 0; i < p; i++) {
                    assertEquals(out[o] + gx * i + gy * j, out[o + j * p + i], 1e-4, "a plane");
                }
            }
        }
        assertTrue(zoomed >= 10, "most patches are zoomed: " + zoomed);
        assertOffIsThePlainStream(im, p, s -> s.zoom(1));
        assertThrows(IllegalArgumentException.class, () -> new PatchSampler(List.of(im), p, 1).zoom(0.5));
    }
}
