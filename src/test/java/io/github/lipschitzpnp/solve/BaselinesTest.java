package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.TestOperators.Matrix;
import io.github.lipschitzpnp.solve.TestOperators.PeriodicBlur;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Classical baselines on tiny well-posed problems (known solutions) and a small deblurring problem. */
class BaselinesTest {

    /** A random 6x6 matrix with non-negative entries and a dominant diagonal: invertible, well conditioned. */
    static double[][] matrix(long seed) {
        Random r = new Random(seed);
        double[][] m = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                m[i][j] = r.nextDouble() * 0.5 + (i == j ? 3 : 0);
            }
        }
        return m;
    }

    static final float[] X_TRUE = {0.5f, -1f, 2f, 0.25f, 1.5f, 0.75f};
    static final float[] X_POS = {0.5f, 1f, 2f, 0.25f, 1.5f, 0.75f};

    static Problem matrixProblem(Matrix a, float[] x) {
        float[] y = TestOperators.toFloat(a.mul(TestOperators.toDouble(x)));
        return Problem.of(a, FloatImages.wrap(y, y.length));
    }

    /** Dense double Gaussian elimination with partial pivoting. */
    static double[] solveDense(double[][] m, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        double[] rhs = b.clone();
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) {
                    piv = i;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            double tb = rhs[c];
            rhs[c] = rhs[piv];
            rhs[piv] = tb;
            for (int i = c + 1; i < n; i++) {
                double f = a[i][c] / a[c][c];
                for (int j = c; j < n; j++) {
                    a[i][j] -= f * a[c][j];
                }
                rhs[i] -= f * rhs[c];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = rhs[i];
            for (int j = i + 1; j < n; j++) {
                s -= a[i][j] * x[j];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }

    static void assertClose(float[] expected, float[] actual, double tol) {
        assertTrue(Vec.distance(expected, actual) <= tol * Vec.norm(expected),
                "error " + Vec.distance(expected, actual) + " vs norm " + Vec.norm(expected));
    }

    @Test
    void cglsSolvesAnInvertibleMatrix() {
        Matrix a = new Matrix(matrix(1), 3, 2); // a 3x2 "image"
        SolverResult r = new Cgls().maxIterations(50).tolerance(1e-7).solve(matrixProblem(a, X_TRUE));
        assertClose(X_TRUE, FloatImages.data(r.image()), 1e-4);
        assertTrue(r.iterations() <= 12, "CGLS took " + r.iterations());
        double[] obj = r.objectives();
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1] + 1e-9, "misfit rose at " + k);
        }
    }

    @Test
    void tikhonovMatchesTheDirectSolution() {
        double[][] m = matrix(2);
        Matrix a = new Matrix(m, 6);
        Problem p = matrixProblem(a, X_TRUE);
        double lambda = 0.7;
        // (A^T A + lambda I) x = A^T y in double
        double[][] normal = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                for (int k = 0; k < 6; k++) {
                    normal[i][j] += m[k][i] * m[k][j];
                }
            }
            normal[i][i] += lambda;
        }
        double[] expected = solveDense(normal, a.mulT(TestOperators.toDouble(p.dataArray())));
        SolverResult r = new Tikhonov().regularization(lambda).maxIterations(50).tolerance(1e-7).solve(p);
        assertClose(TestOperators.toFloat(expected), FloatImages.data(r.image()), 1e-4);
        double[] obj = r.objectives();
        double direct = 0.5 * Math.pow(Vec.distance(TestOperators.toFloat(a.mul(expected)), p.dataArray()), 2)
                + 0.5 * lambda * Vec.dot(TestOperators.toFloat(expected), TestOperators.toFloat(expected));
        assertEquals(direct, obj[obj.length - 1], 1e-4 * direct);
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1] + 1e-6 * Math.abs(obj[k - 1]), "objective rose at " + k);
        }
    }

    @Test
    void sirtSolvesAConsistentNonNegativeSystem() {
        Matrix a = new Matrix(matrix(3), 6);
        SolverResult r = new Sirt().maxIterations(3000).tolerance(1e-8).solve(matrixProblem(a, X_TRUE));
        assertClose(X_TRUE, FloatImages.data(r.image()), 1e-4);
        // with the non-negativity option and a non-negative solution, the same
        SolverResult pos = new Sirt().nonNegative(true).maxIterations(3000).tolerance(1e-8)
                .solve(matrixProblem(a, X_POS));
        assertClose(X_POS, FloatImages.data(pos.image()), 1e-4);
        for (float v : FloatImages.data(pos.image())) {
            assertTrue(v >= 0);
        }
        assertThrows(IllegalArgumentException.class, () -> new Sirt().relaxation(2));
    }

    @Test
    void sirtOnBlurReducesTheMisfitMonotonically() {
        Problem p = TestOperators.deblurProblem(32, 0.01);
        SolverResult r = new Sirt().nonNegative(true).maxIterations(40).tolerance(0).solve(p);
        double[] obj = r.objectives();
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1] * (1 + 1e-6), "SIRT misfit rose at " + k);
        }
        assertTrue(obj[obj.length - 1] < 0.5 * obj[0]);
    }

    @Test
    void richardsonLucyKeepsPositivityAndLowersTheLikelihood() {
        int n = 32;
        float[] truth = TestOperators.phantom(n, n);
        for (int i = 0; i < truth.length; i++) {
            truth[i] = 10 * truth[i] + 1; // photon counts
        }
        float[] y = TestOperators.correlate3x3(truth, n, n, TestOperators.BLUR, false);
        Problem p = Problem.of(new PeriodicBlur(n, n, TestOperators.BLUR), FloatImages.wrap(y, n, n))
                .withReference(FloatImages.wrap(truth, n, n));
        SolverResult r = new RichardsonLucy().maxIterations(100).tolerance(0).solve(p);
        double[] obj = r.objectives();
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1] + 1e-7 * Math.abs(obj[k - 1]), "RL likelihood rose at " + k);
        }
        for (float v : FloatImages.data(r.image())) {
            assertTrue(v >= 0);
        }
        double[] psnr = r.psnr();
        assertTrue(psnr[psnr.length - 1] > Metrics.psnr(y, truth, 10) + 3,
                "RL should deblur noise-free data: " + psnr[psnr.length - 1] + " vs " + Metrics.psnr(y, truth, 10));
        // flux is preserved (blur weights sum to 1)
        assertEquals(Vec.sum(y), Vec.sum(FloatImages.data(r.image())), 1e-3 * Vec.sum(y));
        float[] neg = y.clone();
        neg[3] = -1;
        assertThrows(IllegalArgumentException.class, () -> new RichardsonLucy()
                .solve(Problem.of(new PeriodicBlur(n, n, TestOperators.BLUR), FloatImages.wrap(neg, n, n))));
    }

    @Test
    void gradientAdjointIsExactIn2dAnd3d() {
        Random r = new Random(5);
        for (long[] dims : new long[][] {{7, 5}, {6, 5, 4}, {9, 1, 3}}) {
            int n = (int) Cgls.count(dims);
            int[] axes = TvPdhg.axes(dims);
            float[] x = new float[n];
            float[][] p = new float[axes.length][n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) r.nextGaussian();
                for (float[] pc : p) {
                    pc[i] = (float) r.nextGaussian();
                }
            }
            float[][] g = TvPdhg.gradient(x, dims, axes);
            double lhs = 0;
            for (int c = 0; c < axes.length; c++) {
                lhs += Vec.dot(g[c], p[c]);
            }
            double rhs = Vec.dot(x, TvPdhg.gradientAdjoint(p, dims, axes));
            assertEquals(lhs, rhs, 1e-5 * (Math.abs(lhs) + 1));
        }
        assertEquals(2, TvPdhg.axes(new long[] {9, 1, 3}).length);
    }

    @Test
    void tvPdhgReachesAMinimumIn2d() {
        Problem p = TestOperators.deblurProblem(32, 0.03);
        double lambda = 0.02;
        SolverResult r = new TvPdhg().regularization(lambda).maxIterations(400).tolerance(1e-6).solve(p);
        float[] x = FloatImages.data(r.image());
        double best = objective(p, x, lambda);
        assertEquals(best, r.objectives()[r.iterations() - 1], 1e-6 * best);
        assertMinimum(p, x, lambda, best, false);
        double psnrData = Metrics.psnr(p.dataArray(), p.referenceArray(), 1);
        System.out.printf("TV-PDHG 2D: %s after %d iterations, PSNR %.2f dB (data %.2f dB)%n", r.stopReason(),
                r.iterations(), r.psnr()[r.iterations() - 1], psnrData);
        assertTrue(r.psnr()[r.iterations() - 1] > psnrData + 1);
    }

    @Test
    void tvPdhgDenoisesA3dVolume() {
        long[] dims = {12, 12, 6};
        int n = (int) Cgls.count(dims);
        float[] truth = new float[n];
        for (int z = 0; z < 6; z++) {
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 12; x++) {
                    truth[(z * 12 + y) * 12 + x] = (x > 3 && x < 9 && y > 2 && y < 10 && z > 1 && z < 5) ? 1 : 0;
                }
            }
        }
        float[] noisy = TestOperators.addNoise(truth, 0.2, 11);
        float[] ones = Vec.filled(n, 1f);
        Problem p = Problem.of(new TestOperators.Mask(ones, dims), FloatImages.wrap(noisy, dims))
                .withReference(FloatImages.wrap(truth, dims)).withDataRange(1);
        double lambda = 0.15;
        SolverResult r = new TvPdhg().regularization(lambda).nonNegative(true).maxIterations(500).tolerance(1e-6)
                .solve(p);
        float[] x = FloatImages.data(r.image());
        for (float v : x) {
            assertTrue(v >= 0);
        }
        assertTrue(r.guarantee().contains("||grad||^2 <= 12"), r.guarantee());
        assertMinimum(p, x, lambda, objective(p, x, lambda), true);
        assertTrue(Metrics.psnr(x, truth, 1) > Metrics.psnr(noisy, truth, 1) + 3);
    }

    @Test
    void conjugateGradientSolvesTheShiftedNormalEquations() {
        double[][] m = matrix(4);
        Matrix a = new Matrix(m, 6);
        double rho = 0.3;
        double[][] normal = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                for (int k = 0; k < 6; k++) {
                    normal[i][j] += m[k][i] * m[k][j];
                }
            }
            normal[i][i] += rho;
        }
        float[] b = X_TRUE.clone();
        float[] expected = TestOperators.toFloat(solveDense(normal, TestOperators.toDouble(b)));
        float[] guess = Vec.filled(6, 0.5f);
        float[] guessCopy = guess.clone();
        float[] x = new ConjugateGradient(1e-7, 50).solve(a, b, rho, guess);
        assertClose(expected, x, 1e-5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(guessCopy, guess);
        org.junit.jupiter.api.Assertions.assertArrayEquals(X_TRUE, b);
    }

    @Test
    void problemRejectsMismatchedImages() {
        Matrix a = new Matrix(matrix(1), 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Problem.of(a, FloatImages.create(5)));
        assertTrue(e.getMessage().contains("[6]"), e.getMessage());
        Problem p = Problem.of(a, FloatImages.create(6));
        assertThrows(IllegalArgumentException.class, () -> p.withReference(FloatImages.create(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> p.withInitial(FloatImages.create(6)));
        assertThrows(IllegalArgumentException.class, () -> p.withDataRange(0));
        assertTrue(p.reference().isEmpty());
        assertTrue(Double.isNaN(p.dataRange()));
    }

    static double objective(Problem p, float[] x, double lambda) {
        double d = Vec.distance(Flat.apply(p.operator(), x), p.dataArray());
        return 0.5 * d * d + lambda * TvPdhg.totalVariation(x, p.domain(), TvPdhg.axes(p.domain()));
    }

    /**
     * Optimality along smooth directions (constant, x itself, smoothed noise): at a minimiser no small step
     * either way lowers the objective. Smooth directions add little TV, so the first-order term shows.
     */
    static void assertMinimum(Problem p, float[] x, double lambda, double value, boolean nonNegative) {
        Random r = new Random(9);
        long[] dims = p.domain();
        java.util.List<float[]> dirs = new java.util.ArrayList<>();
        dirs.add(Vec.filled(x.length, 1f));
        dirs.add(x.clone());
        for (int t = 0; t < 6; t++) {
            float[] d = TestOperators.addNoise(new float[x.length], 1, 100 + t);
            for (int s = 0; s < 10; s++) { // smooth by repeated neighbour averaging along every axis
                float[] sm = d.clone();
                int stride = 1;
                for (long len : dims) {
                    for (int i = 0; i < d.length; i++) {
                        int pos = (i / stride) % (int) len;
                        if (pos > 0 && pos < len - 1) {
                            sm[i] = 0.25f * d[i - stride] + 0.5f * d[i] + 0.25f * d[i + stride];
                        }
                    }
                    d = sm.clone();
                    stride *= (int) len;
                }
            }
            dirs.add(d);
        }
        for (float[] d : dirs) {
            double eps = 1e-3 * Vec.norm(x) / Vec.norm(d);
            for (int sign = -1; sign <= 1; sign += 2) {
                float[] xp = Vec.combination(1, x, sign * eps, d);
                if (nonNegative) {
                    Vec.clampNonNegative(xp);
                }
                double v = objective(p, xp, lambda);
                assertTrue(v >= value - 1e-6 * value, "a step along a smooth direction lowered the objective: "
                        + value + " -> " + v);
            }
        }
    }
}
