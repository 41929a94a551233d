package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rigorous bounds in plain Java: upper bounds hold and are tight. */
class SpectralBoundsTest {

    private static ConvKernel randomKernel(int co, int ci, int k, int dims, long seed) {
        Random rnd = new Random(seed);
        double[] w = new double[co * ci * (int) Math.pow(k, dims)];
        for (int j = 0; j < w.length; j++) {
            w[j] = rnd.nextGaussian();
        }
        return new ConvKernel(w, co, ci, k, dims);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    @Test
    void gramBoundOnHandComputableMatrices() {
        double[][] diag = {{3, 0, 0}, {0, -2, 0}, {0, 0, 1}, {0, 0, 0}};
        double g = SpectralBounds.gramUpperBound(diag);
        assertTrue(g >= 3.0 && g <= 3.0 * (1 + 1e-6), "diag bound " + g);
        // rank one u v^T: norm |u| |v| = sqrt(14) * sqrt(5)
        double[] u = {1, 2, 3};
        double[] v = {2, -1};
        double[][] r1 = new double[3][2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                r1[i][j] = u[i] * v[j];
            }
        }
        double exact = Math.sqrt(14 * 5);
        double b = SpectralBounds.gramUpperBound(r1);
        assertTrue(b >= exact && b <= exact * (1 + 1e-8), "rank-1 bound " + b + " vs " + exact);
        assertEquals(exact, SpectralBounds.exactNorm(r1), 1e-12);
        // identical singular values: bound is loose by at most rank^(1/2^13)
        double[][] eye = {{0, 1}, {1, 0}};
        assertTrue(SpectralBounds.gramUpperBound(eye) >= 1.0);
        assertTrue(SpectralBounds.gramUpperBound(eye) <= 1.0 + 1e-3);
    }

    @Test
    void gramBoundAboveConvergedPowerIterationOnRandomMatrices() {
        Random rnd = new Random(3);
        for (int[] mn : new int[][] {{20, 30}, {30, 7}, {16, 16}}) {
            double[][] a = new double[mn[0]][mn[1]];
            for (double[] row : a) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = rnd.nextGaussian();
                }
            }
            double pi = SpectralBounds.powerIteration(a, 2000, 1);
            double exact = SpectralBounds.exactNorm(a);
            double g = SpectralBounds.gramUpperBound(a);
            assertTrue(pi <= exact * (1 + 1e-12), "power iteration is a lower bound");
            assertTrue(g >= exact, "Gram bound " + g + " below norm " + exact);
            assertTrue(g <= exact * 1.002, "Gram bound " + g + " not tight vs " + exact);
        }
    }

    @Test
    void javaConvolutionAdjointInnerProduct() {
        for (int dims : new int[] {2, 3}) {
            ConvKernel k = randomKernel(3, 2, 3, dims, 5 + dims);
            int[] size = dims == 2 ? new int[] {7, 5} : new int[] {4, 5, 3};
            int vox = 1;
            for (int s : size) {
                vox *= s;
            }
            Random rnd = new Random(9);
            double[] x = new double[2 * vox];
            double[] y = new double[3 * vox];
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextGaussian();
            }
            for (int j = 0; j < y.length; j++) {
                y[j] = rnd.nextGaussian();
            }
            double lhs = dot(k.apply(x, size), y);
            double rhs = dot(x, k.adjoint(y, size));
            assertEquals(lhs, rhs, 1e-12 * Math.abs(lhs) + 1e-12, "dims " + dims);
        }
    }

    @Test
    void convBound2dAboveAndCloseToPowerIterationForSeveralSizes() {
        ConvKernel k = randomKernel(4, 3, 3, 2, 11);
        SpectralBounds.ConvBound b = SpectralBounds.convUpperBound(k, 256);
        double largest = 0;
        for (int n : new int[] {5, 12, 33, 64}) {
            double pi = SpectralBounds.convPowerIteration(k, new int[] {n, n + 1}, 400, n);
            assertTrue(b.upper() >= pi, "bound " + b.upper() + " below operator norm " + pi + " at size " + n);
            largest = Math.max(largest, pi);
        }
        assertTrue(b.upper() <= largest * 1.02, "bound " + b + " vs power iteration " + largest);
        assertTrue(b.gridUpper() >= b.gridEstimate() - 1e-12);
        assertTrue(b.gridUpper() <= largest * 1.01, "grid maximum " + b + " vs " + largest);
    }

    @Test
    void convBound3dAboveAndCloseToPowerIteration() {
        ConvKernel k = randomKernel(3, 2, 3, 3, 12);
        SpectralBounds.ConvBound b = SpectralBounds.convUpperBound(k, 64);
        double largest = 0;
        for (int n : new int[] {4, 9, 16}) {
            double pi = SpectralBounds.convPowerIteration(k, new int[] {n, n, n}, 300, n);
            assertTrue(b.upper() >= pi, "bound " + b.upper() + " below operator norm " + pi);
            largest = Math.max(largest, pi);
        }
        // the grid maximum is tight, the rest is exactly the stated correction, and the whole stays
        // within 8 % (the 16^3 image is still below the infinite-size norm)
        assertTrue(b.gridUpper() <= largest * 1.03, "grid maximum " + b + " vs power iteration " + largest);
        assertTrue(b.upper() <= largest * 1.08, "bound " + b + " vs power iteration " + largest);
        assertEquals(b.gridUpper() + b.correction(), b.upper(), 1e-6 * b.upper());
    }
}
