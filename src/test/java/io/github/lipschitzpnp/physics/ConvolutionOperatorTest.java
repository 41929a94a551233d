package io.github.lipschitzpnp.physics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

class ConvolutionOperatorTest {

    private static final long[] DIMS2 = {23, 17};
    private static final long[] DIMS3 = {12, 10, 7};

    /** A non-symmetric, normalised PSF so that flips and shifts would show. */
    private static Img<FloatType> asymmetricPsf(long... dims) {
        Img<FloatType> psf = TestImages.uniform(7, dims);
        float[] d = FloatImages.data(psf);
        double s = 0;
        for (float v : d) {
            s += v;
        }
        for (int i = 0; i < d.length; i++) {
            d[i] /= (float) s;
        }
        return psf;
    }

    @ParameterizedTest
    @EnumSource(Boundary.class)
    void fftMatchesDirectConvolution2D(Boundary b) {
        Img<FloatType> psf = asymmetricPsf(5, 4);
        ConvolutionOperator a = new ConvolutionOperator(psf, DIMS2, b);
        Img<FloatType> x = TestImages.uniform(1, DIMS2);
        float[] expected = TestImages.directConvolution(FloatImages.data(x), new int[] {23, 17, 1},
                FloatImages.data(psf), new int[] {5, 4, 1}, b);
        assertArrayEquals(expected, FloatImages.data(a.apply(x)), 1e-5f);
        assertTrue(a.warnings().isEmpty(), a.warnings().toString());
    }

    @ParameterizedTest
    @EnumSource(Boundary.class)
    void fftMatchesDirectConvolution3D(Boundary b) {
        Img<FloatType> psf = asymmetricPsf(3, 4, 5);
        ConvolutionOperator a = new ConvolutionOperator(psf, DIMS3, b);
        Img<FloatType> x = TestImages.uniform(2, DIMS3);
        float[] expected = TestImages.directConvolution(FloatImages.data(x), new int[] {12, 10, 7},
                FloatImages.data(psf), new int[] {3, 4, 5}, b);
        assertArrayEquals(expected, FloatImages.data(a.apply(x)), 1e-5f);
    }

    /**
     * Above 65536 elements JTransforms switches to its multithreaded code paths; check sampled output
     * pixels of larger 2D and 3D images against the direct sum, every boundary.
     */
    @ParameterizedTest
    @EnumSource(Boundary.class)
    void largeImagesUseThreadedFftsCorrectly(Boundary b) {
        long[][] sizes = {{301, 263}, {50, 41, 37}};
        for (long[] dims : sizes) {
            int nd = dims.length;
            long[] kd = nd == 2 ? new long[] {5, 7} : new long[] {3, 5, 7};
            Img<FloatType> psf = asymmetricPsf(kd);
            Img<FloatType> x = TestImages.uniform(4, dims);
            float[] y = FloatImages.data(new ConvolutionOperator(psf, dims, b).apply(x));
            float[] xd = FloatImages.data(x);
            float[] h = FloatImages.data(psf);
            int[] n = {(int) dims[0], (int) dims[1], nd == 3 ? (int) dims[2] : 1};
            int[] k = {(int) kd[0], (int) kd[1], nd == 3 ? (int) kd[2] : 1};
            java.util.SplittableRandom r = new java.util.SplittableRandom(8);
            for (int s = 0; s < 300; s++) {
                // a third of the samples on the border, where the boundary matters
                int px = s % 3 == 0 ? (r.nextBoolean() ? 0 : n[0] - 1) : r.nextInt(n[0]);
                int py = r.nextInt(n[1]);
                int pz = r.nextInt(n[2]);
                double expected = 0;
                for (int kz = 0; kz < k[2]; kz++) {
                    for (int ky = 0; ky < k[1]; ky++) {
                        for (int kx = 0; kx < k[0]; kx++) {
                            int sx = px - kx + k[0] / 2, sy = py - ky + k[1] / 2, sz = pz - kz + k[2] / 2;
                            int[] q = {sx, sy, sz};
                            boolean outside = false;
                            for (int d = 0; d < 3; d++) {
                                if (q[d] < 0 || q[d] >= n[d]) {
                                    if (b == Boundary.ZERO) {
                                        outside = true;
                                    } else if (b == Boundary.PERIODIC) {
                                        q[d] = Math.floorMod(q[d], n[d]);
                                    } else {
                                        q[d] = q[d] < 0 ? -1 - q[d] : 2 * n[d] - 1 - q[d];
                                    }
                                }
                            }
                            if (!outside) {
                                expected += h[(kz * k[1] + ky) * k[0] + kx] * xd[(q[2] * n[1] + q[1]) * n[0] + q[0]];
                            }
                        }
                    }
                }
                assertEquals(expected, y[(pz * n[1] + py) * n[0] + px], 1e-5, b + " " + nd + "D at " + px + "," + py + "," + pz);
            }
        }
    }

    @Test
    void paddedGridIsSmooth() {
        ConvolutionOperator a = new ConvolutionOperator(asymmetricPsf(5, 4), DIMS2, Boundary.ZERO);
        for (int s : a.fftSize()) {
            assertTrue(FftSizes.isSmooth(s), "FFT size " + s);
        }
        assertEquals(27, a.fftSize()[0]); // 23 + 5 - 1 = 27 = 3^3
        assertEquals(20, a.fftSize()[1]); // 17 + 4 - 1 = 20
        assertEquals(50, FftSizes.nextSmooth(49));
        assertEquals(1, FftSizes.nextSmooth(1));
        assertEquals(8, FftSizes.nextSmooth(7));
    }

    @Test
    void periodicNormIsMaxOfTransferFunctionAndPowerIterationAgrees() {
        // a PSF with a negative lobe so that max|H| is not simply H(0) = 1
        float[] k = {0.1f, -0.3f, 0.4f, 0.9f, -0.1f};
        ConvolutionOperator a = new ConvolutionOperator(FloatImages.wrap(k, 5, 1), new long[] {32, 8},
                Boundary.PERIODIC);
        // independent value: max over the 32 frequencies of |sum_j k_j e^{-2 pi i f j / 32}|
        double best = 0;
        for (int f = 0; f < 32; f++) {
            double re = 0, im = 0;
            for (int j = 0; j < 5; j++) {
                double w = k[j] / 1.0; // k sums to 1.0
                re += w * Math.cos(2 * Math.PI * f * j / 32);
                im -= w * Math.sin(2 * Math.PI * f * j / 32);
            }
            best = Math.max(best, Math.hypot(re, im));
        }
        assertEquals(best, a.norm(), 1e-5 * best);
        assertEquals(a.norm(), PowerIteration.norm(a, 300, 3), 0.01 * a.norm());
        assertEquals(1, a.warnings().size(), "negative values warned: " + a.warnings());
    }

    @Test
    void reflectiveNormOfSymmetricNonNegativePsfIsOne() {
        // symmetric non-negative PSF: mirror boundaries are diagonalised by a cosine transform whose
        // largest eigenvalue is the PSF sum (constant images are kept), so ||A|| = 1 exactly
        ConvolutionOperator a = new ConvolutionOperator(Psf.gaussian2D(1.5, 9), new long[] {24, 20},
                Boundary.REFLECTIVE);
        assertEquals(1.0, a.norm(), 1e-12); // the closed form
        assertEquals(1.0, PowerIteration.run(a, 500, 9, 1e-9).norm(), 0.01); // checked independently
        ConvolutionOperator z = new ConvolutionOperator(Psf.gaussian2D(1.5, 9), new long[] {24, 20},
                Boundary.ZERO);
        assertTrue(z.norm() < 1.0 + 1e-6 && z.norm() > 0.9, "zero-boundary norm " + z.norm());
        assertTrue(z.norm() <= z.transferFunctionMax() + 1e-6);
    }

    @Test
    void psfChecks() {
        long[] img = {16, 16};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvolutionOperator(FloatImages.wrap(new float[] {0, Float.NaN, 0, 1}, 2, 2), img,
                        Boundary.ZERO));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ConvolutionOperator(FloatImages.create(3, 3), img, Boundary.ZERO));
        assertTrue(e.getMessage().contains("all zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ConvolutionOperator(FloatImages.wrap(new float[17 * 3], 17, 3), img, Boundary.ZERO));
        assertTrue(e.getMessage().contains("larger than the image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ConvolutionOperator(FloatImages.wrap(new float[] {1}, 1, 1, 1), img, Boundary.ZERO));
        assertTrue(e.getMessage().contains("3D"), e.getMessage());

        // not normalised: normalised and warned
        ConvolutionOperator a = new ConvolutionOperator(FloatImages.wrap(new float[] {0, 2, 0, 0, 4, 0, 0, 2, 0}, 3, 3),
                img, Boundary.PERIODIC);
        assertEquals(1, a.warnings().size());
        assertTrue(a.warnings().get(0).contains("normalised"), a.warnings().toString());
        Img<FloatType> delta = FloatImages.create(img);
        FloatImages.data(delta)[5 * 16 + 5] = 1;
        float[] y = FloatImages.data(a.apply(delta));
        assertEquals(0.5f, y[5 * 16 + 5], 1e-6f);
        assertEquals(0.25f, y[4 * 16 + 5], 1e-6f);
        assertEquals(0.25f, y[6 * 16 + 5], 1e-6f);
        // negative values: warned, kept
        PsfCheck.Result r = PsfCheck.check(FloatImages.wrap(new float[] {-0.1f, 1.1f}, 2, 1), img);
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("negative"));
        assertEquals(-0.1f, r.psf()[0], 1e-7f);
    }

    @Test
    void mismatchedSizesAreClearErrors() {
        ConvolutionOperator a = new ConvolutionOperator(Psf.gaussian2D(1, 5), new long[] {16, 16}, Boundary.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.apply(FloatImages.create(16, 15)));
        assertTrue(e.getMessage().contains("[16, 15]") && e.getMessage().contains("[16, 16]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.adjoint(FloatImages.create(16, 16, 1)));
    }

    @Test
    void reflectIndex() {
        assertEquals(0, ConvolutionOperator.reflect(-1, 5));
        assertEquals(1, ConvolutionOperator.reflect(-2, 5));
        assertEquals(4, ConvolutionOperator.reflect(5, 5));
        assertEquals(3, ConvolutionOperator.reflect(6, 5));
        assertEquals(2, ConvolutionOperator.reflect(2, 5));
    }
}
