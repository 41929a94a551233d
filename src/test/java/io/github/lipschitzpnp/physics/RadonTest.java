package io.github.lipschitzpnp.physics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

class RadonTest {

    private static Img<FloatType> disc(int n, double radius) {
        float[] d = new float[n * n];
        double c = (n - 1) / 2.0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if ((i - c) * (i - c) + (j - c) * (j - c) <= radius * radius) {
                    d[j * n + i] = 1;
                }
            }
        }
        return FloatImages.wrap(d, n, n);
    }

    /** Exact line integrals of a centred unit disc: 2 sqrt(R^2 - t^2) at every bin centre. */
    private static Img<FloatType> discSinogram(int detectors, int angles, double radius) {
        float[] s = new float[detectors * angles];
        for (int a = 0; a < angles; a++) {
            for (int b = 0; b < detectors; b++) {
                double t = b - (detectors - 1) / 2.0;
                s[a * detectors + b] = (float) (t * t < radius * radius ? 2 * Math.sqrt(radius * radius - t * t) : 0);
            }
        }
        return FloatImages.wrap(s, detectors, angles);
    }

    @Test
    void geometryOfASinglePixel() {
        // pixel (i=6, j=2) of 9x9: x = 2, y = 2; at 0 deg t = 2, at 90 deg t = 2, at 180 deg t = -2
        Img<FloatType> img = FloatImages.create(9, 9);
        FloatImages.data(img)[2 * 9 + 6] = 1;
        ParallelBeamRadon r = new ParallelBeamRadon(9, new double[] {0, 90, 180, 45}, 9);
        float[] s = FloatImages.data(r.apply(img));
        assertEquals(1f, s[0 * 9 + 4 + 2], 1e-6f);
        assertEquals(1f, s[1 * 9 + 4 + 2], 1e-6f);
        assertEquals(1f, s[2 * 9 + 4 - 2], 1e-6f);
        // 45 deg: t = 2 cos45 + 2 sin45 = 2.828 -> bins 6 and 7 with weights 0.172 and 0.828
        double t = 2 * Math.sqrt(2);
        assertEquals(1 - (t - 2), s[3 * 9 + 6], 1e-5);
        assertEquals(t - 2, s[3 * 9 + 7], 1e-5);
        double total = 0;
        for (float v : s) {
            total += v;
        }
        assertEquals(4, total, 1e-5); // mass is preserved while inside the detector
    }

    @Test
    void forwardProjectionOfADiscMatchesChordLengths() {
        int n = 65;
        double radius = 20;
        ParallelBeamRadon r = new ParallelBeamRadon(n, new double[] {0, 17, 45, 90, 133.3}, n);
        float[] s = FloatImages.data(r.apply(disc(n, radius)));
        float[] exact = FloatImages.data(discSinogram(n, 5, radius));
        double err = 0;
        for (int i = 0; i < s.length; i++) {
            err += Math.abs(s[i] - exact[i]);
        }
        err /= s.length;
        assertTrue(err < 0.02 * 2 * radius, "mean abs error " + err);
    }

    @Test
    void fbpOfADiscIsCloseToTruthAwayFromEdges() {
        int n = 65;
        double radius = 20;
        ParallelBeamRadon r = new ParallelBeamRadon(n, ParallelBeamRadon.uniformAngles(180), n);
        for (Fbp.Window w : Fbp.Window.values()) {
            Img<FloatType> sino = discSinogram(n, 180, radius);
            float[] before = FloatImages.copyData(sino);
            float[] rec = FloatImages.data(new Fbp(r, w).reconstruct(sino));
            assertArrayEquals(before, FloatImages.data(sino), "FBP must not modify its input");
            double c = (n - 1) / 2.0;
            double errIn = 0, errOut = 0;
            int countIn = 0, countOut = 0;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double rr = Math.hypot(i - c, j - c);
                    if (rr < radius - 4) {
                        errIn = Math.max(errIn, Math.abs(rec[j * n + i] - 1));
                        countIn++;
                    } else if (rr > radius + 4 && rr < c - 2) {
                        errOut = Math.max(errOut, Math.abs(rec[j * n + i]));
                        countOut++;
                    }
                }
            }
            assertTrue(countIn > 500 && countOut > 100);
            assertTrue(errIn < 0.05, w + ": max error inside " + errIn);
            assertTrue(errOut < 0.05, w + ": max error outside " + errOut);
        }
    }

    @Test
    void fbpWorksWithUnsortedAndFullCircleAngles() {
        int n = 33;
        double radius = 10;
        double[] angles = new double[120];
        for (int i = 0; i < 120; i++) {
            angles[i] = (i * 77) % 120 * 3.0; // 0..357 in a scrambled order
        }
        ParallelBeamRadon r = new ParallelBeamRadon(n, angles, n);
        float[] rec = FloatImages.data(new Fbp(r, Fbp.Window.RAM_LAK).reconstruct(discSinogram(n, 120, radius)));
        assertEquals(1.0, rec[16 * n + 16], 0.05);
        assertEquals(1.0, rec[12 * n + 19], 0.05);
        assertEquals(0.0, rec[16 * n + 30], 0.05);
    }

    @Test
    void angleWeights() {
        float[] w = Fbp.angleWeights(new double[] {0, 90});
        assertEquals(Math.PI / 2, w[0], 1e-6);
        assertEquals(Math.PI / 2, w[1], 1e-6);
        w = Fbp.angleWeights(new double[] {10, 0, 30, 190});
        // mod 180: 10, 0, 30, 10 -> sorted 0, 10, 10, 30; total must be pi
        double sum = 0;
        for (float v : w) {
            sum += v;
        }
        assertEquals(Math.PI, sum, 1e-6);
        assertEquals(w[0], w[3], 1e-7);
    }

    @Test
    void knownNorms() {
        // one angle at 0 deg with D - N even: every bin sums one column, A A^T = N I, ||A|| = sqrt(N)
        int n = 16;
        ParallelBeamRadon one = new ParallelBeamRadon(n, new double[] {0}, n + 4);
        assertEquals(Math.sqrt(n), one.norm(), 0.01 * Math.sqrt(n));
        // 0 and 90 deg: A^T A = N (Q0 + Q90) with Q the projectors onto column/row-constant images,
        // both containing the constant image: ||A|| = sqrt(2N)
        ParallelBeamRadon two = new ParallelBeamRadon(n, new double[] {90, 0}, n);
        assertEquals(Math.sqrt(2 * n), two.norm(), 0.01 * Math.sqrt(2 * n));
    }

    @Test
    void powerIterationIncreasesMonotonically() {
        ParallelBeamRadon r = new ParallelBeamRadon(24, new double[] {3, 11, 50, 51, 97, 170}, 35);
        double[] h = PowerIteration.run(r, 40, 5, 0).history();
        for (int k = 1; k < h.length; k++) {
            assertTrue(h[k] >= h[k - 1] * (1 - 1e-6), "estimate decreased at " + k + ": " + h[k - 1] + " -> " + h[k]);
        }
        assertTrue(h[h.length - 1] > h[0]);
        // the norm is at most sqrt(angles * N): each projection has norm at most sqrt(N)... plus
        // interpolation, which only shrinks it (weights 1-f and f have squares summing to at most 1)
        assertTrue(h[h.length - 1] <= Math.sqrt(6 * 24) * (1 + 1e-6));
    }

    @Test
    void errors() {
        assertThrows(IllegalArgumentException.class, () -> new ParallelBeamRadon(8, new double[] {Double.NaN}, 8));
        assertThrows(IllegalArgumentException.class, () -> new ParallelBeamRadon(8, new double[0], 8));
        ParallelBeamRadon r = new ParallelBeamRadon(8, new double[] {0, 45, 90}, 12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.adjoint(FloatImages.create(12, 4)));
        assertTrue(e.getMessage().contains("[12, 3]") && e.getMessage().contains("angles"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Fbp(r, Fbp.Window.HANN).reconstruct(FloatImages.create(3, 12)));
        assertEquals(12, ParallelBeamRadon.fullDetectorCount(8));
    }
}
