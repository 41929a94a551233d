package io.github.lipschitzpnp.solve;

import static io.github.lipschitzpnp.solve.TestOperators.AVERAGE;
import static io.github.lipschitzpnp.solve.TestOperators.assertNonIncreasing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.TestOperators.FilterDenoiser;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each PnP algorithm with a certified non-expansive denoiser on a small deblurring problem. */
class PnpConvergenceTest {

    static final int N = 32;

    static Stream<Arguments> solvers() {
        return Stream.of(
                Arguments.of("PGD", (Function<Denoiser, IterativeSolver<?>>) PnpPgd::new),
                Arguments.of("HQS", (Function<Denoiser, IterativeSolver<?>>) PnpHqs::new),
                Arguments.of("DRS", (Function<Denoiser, IterativeSolver<?>>) PnpDrs::new),
                Arguments.of("ADMM", (Function<Denoiser, IterativeSolver<?>>) PnpAdmm::new),
                Arguments.of("RED", (Function<Denoiser, IterativeSolver<?>>) d -> new Red(d).regularization(0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void convergesWithNonIncreasingResidual(String name, Function<Denoiser, IterativeSolver<?>> make) {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser d = new FilterDenoiser(N, N, AVERAGE, true);
        assertEquals(1.0, d.lipschitzBound(), 1e-12);
        SolverResult r = make.apply(d).maxIterations(400).tolerance(1e-6).solve(p);
        double[] res = r.residuals();
        double scale = Vec.norm(FloatImages.data(r.image()));
        System.out.printf("%s: %s, %d iterations, residual %.3g -> %.3g, PSNR %.2f dB (data %.2f dB), SSIM %.4f%n",
                name,
                r.stopReason(), r.iterations(), res[0], r.finalResidual(), r.psnr()[r.iterations() - 1],
                Metrics.psnr(p.dataArray(), p.referenceArray(), 1), r.ssim()[r.iterations() - 1]);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertNonIncreasing(res, scale, name);
        assertTrue(r.finalResidual() < 1e-3 * res[0], "residual should fall by 1e3");
        assertTrue(r.guarantee().contains("non-increasing"), r.guarantee());
        assertTrue(Double.isFinite(r.psnr()[r.iterations() - 1]));
        // warm start from the result: PGD, HQS and RED carry their whole state in the image and stop at once;
        // DRS/ADMM also carry z (or u), which the image does not restore, so they only get a head start
        SolverResult again = make.apply(d).maxIterations(400).tolerance(1e-5).solve(p.withInitial(r.image()));
        boolean imageIsState = !name.equals("DRS") && !name.equals("ADMM");
        assertTrue(imageIsState ? again.iterations() <= 2 : again.iterations() < r.iterations(),
                name + " warm start took " + again.iterations() + " iterations, cold start " + r.iterations());
    }

    @Test
    void pgdFixedPointIsConsistentWithTheDenoiser() {
        // at a fixed point x = D(x - gamma A^T(Ax - y)): check it directly
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser d = new FilterDenoiser(N, N, AVERAGE, true);
        SolverResult r = new PnpPgd(d).maxIterations(2000).tolerance(1e-6).solve(p);
        float[] x = FloatImages.data(r.image());
        float[] v = Flat.gradient(p.operator(), x, p.dataArray());
        Vec.axpby(1, x, -1, v);
        float[] t = Flat.denoise(d, v, p.domain());
        assertTrue(Vec.distance(t, x) < 1e-4 * Vec.norm(x), "||T x - x|| = " + Vec.distance(t, x));
    }

    /** (1 - alpha) I + alpha F: certified alpha-averaged when F is certified non-expansive. */
    static final class MixedDenoiser implements Denoiser {
        final Denoiser f;
        final double alpha;

        MixedDenoiser(Denoiser f, double alpha) {
            this.f = f;
            this.alpha = alpha;
        }

        @Override
        public net.imglib2.img.Img<net.imglib2.type.numeric.real.FloatType> denoise(
                net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> x) {
            float[] out = FloatImages.copyData(f.denoise(x));
            Vec.axpby(1 - alpha, FloatImages.data(x), alpha, out);
            return FloatImages.wrap(out, net.imglib2.util.Intervals.dimensionsAsLongArray(x));
        }

        @Override
        public double lipschitzBound() {
            return (1 - alpha) + alpha * f.lipschitzBound();
        }

        @Override
        public double averagedness() {
            return alpha;
        }

        @Override
        public String describe() {
            return "mix " + alpha;
        }
    }

    @Test
    void certifiedPriorStepUndoesTheMixAndKeepsTheGuarantee() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser f = new FilterDenoiser(N, N, AVERAGE, true);
        MixedDenoiser d = new MixedDenoiser(f, 0.6);
        // I + (D - I)/(2 alpha) = (I + F)/2, half-averaged, with bound (1 + L_F)/2
        AveragedDenoiser step = AveragedDenoiser.certified(d);
        assertEquals(1 / 1.2, step.step(), 1e-12);
        assertEquals(0.5, step.averagedness(), 1e-12);
        assertEquals(1.0, step.lipschitzBound(), 1e-12);
        float[] x = p.dataArray();
        float[] want = Flat.denoise(new AveragedDenoiser(f), x, p.domain());
        float[] got = Flat.denoise(step, x, p.domain());
        assertTrue(Vec.distance(want, got) < 1e-6 * Vec.norm(want), "differs by " + Vec.distance(want, got));
        assertEquals(1.0, new AveragedDenoiser(d).lipschitzBound(), 1e-12, "(I + D)/2 of a non-expansive D");
        assertEquals(0.3, new AveragedDenoiser(d).averagedness(), 1e-12, "(I + D)/2 is (alpha/2)-averaged");
        // same guarantee, a stronger prior than AUTO's (I + D)/2, and its fixed point is a different image
        // at c = 1/(2 alpha) P is only just firmly non-expansive: the default data step, accurate to 1e-3 of
        // the last residual, keeps the residual monotone all the same (CG at a fixed relative 1e-6 did not)
        SolverResult certified = new PnpAdmm(d).averaging(Averaging.CERTIFIED).penalty(0.5).maxIterations(400)
                .tolerance(1e-6).solve(p);
        SolverResult auto = new PnpAdmm(d).penalty(0.5).maxIterations(400).tolerance(1e-6).solve(p);
        assertEquals(StopReason.CONVERGED, certified.stopReason(), certified.message());
        assertNonIncreasing(certified.residuals(), Vec.norm(FloatImages.data(certified.image())), "CERTIFIED");
        assertTrue(certified.guarantee().contains("0.6000-averaged") && certified.guarantee().contains("non-increasing"),
                certified.guarantee());
        float[] a = FloatImages.data(certified.image());
        float[] b = FloatImages.data(auto.image());
        assertTrue(Vec.distance(a, b) > 1e-3 * Vec.norm(a), "CERTIFIED should change the fixed point");
        // CERTIFIED with alpha = 1 is AUTO exactly
        SolverResult plain = new PnpAdmm(f).averaging(Averaging.CERTIFIED).penalty(0.5).maxIterations(30).tolerance(0)
                .solve(p);
        SolverResult plainAuto = new PnpAdmm(f).penalty(0.5).maxIterations(30).tolerance(0).solve(p);
        org.junit.jupiter.api.Assertions.assertArrayEquals(FloatImages.data(plainAuto.image()),
                FloatImages.data(plain.image()));
        // and for a denoiser without a certificate it gives no guarantee, as AUTO
        SolverResult none = new PnpAdmm(new FilterDenoiser(N, N, AVERAGE, false)).averaging(Averaging.CERTIFIED)
                .maxIterations(5).tolerance(0).solve(p);
        assertTrue(none.guarantee().startsWith("none"), none.guarantee());
    }

    @Test
    void admmEqualsDrsWithUnitRelaxation() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser d = new FilterDenoiser(N, N, AVERAGE, true);
        SolverResult admm = new PnpAdmm(d).penalty(0.5).maxIterations(30).tolerance(0).solve(p);
        SolverResult drs = new PnpDrs(d).penalty(0.5).maxIterations(30).tolerance(0).solve(p);
        float[] a = FloatImages.data(admm.image());
        float[] b = FloatImages.data(drs.image());
        assertTrue(Vec.distance(a, b) < 1e-4 * Vec.norm(a), "ADMM and DRS differ by " + Vec.distance(a, b));
    }

    @Test
    void redObjectiveDecreasesForASymmetricLinearDenoiser() {
        // D symmetric linear: the RED energy is a convex quadratic whose gradient is the RED update direction
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser d = new FilterDenoiser(N, N, AVERAGE, true);
        SolverResult r = new Red(d).regularization(2).maxIterations(300).tolerance(1e-5).solve(p);
        double[] obj = r.objectives();
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1] * (1 + 1e-6) + 1e-9, "RED energy rose at " + k + ": " + obj[k - 1]
                    + " -> " + obj[k]);
        }
        assertNonIncreasing(r.residuals(), Vec.norm(FloatImages.data(r.image())), "RED");
        // a step at or above 2/(L + 2 lambda) is refused
        Red tooBig = new Red(d).regularization(2).stepSize(2.0 / 5.0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> tooBig.solve(p));
    }

    @Test
    void pgdRefusesAnExpansiveGradientStep() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        PnpPgd s = new PnpPgd(new FilterDenoiser(N, N, AVERAGE, true)).stepSize(2.5);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.solve(p));
        assertTrue(e.getMessage().contains("2/||A||^2"), e.getMessage());
        // 2/||A||^2 itself is allowed
        assertEquals(StopReason.MAX_ITERATIONS,
                new PnpPgd(new FilterDenoiser(N, N, AVERAGE, true)).stepSize(2).maxIterations(3).tolerance(0).solve(p)
                        .stopReason());
    }

    @Test
    void fastNormalSolverHookGivesTheSameAdmmResult() {
        // a mask operator: A^T A + rho I is diagonal, solved exactly
        int n = 32;
        float[] mask = new float[n * n];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rnd.nextDouble() < 0.6 ? 1 : 0;
        }
        TestOperators.Mask a = new TestOperators.Mask(mask, n, n);
        float[] truth = TestOperators.phantom(n, n);
        float[] y = truth.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= mask[i];
        }
        Problem p = Problem.of(a, FloatImages.wrap(y, n, n)).withReference(FloatImages.wrap(truth, n, n));
        NormalSolver diagonal = new NormalSolver() {
            @Override
            public float[] solve(io.github.lipschitzpnp.physics.LinearOperator op, float[] b, double rho, float[] g) {
                float[] x = b.clone();
                for (int i = 0; i < x.length; i++) {
                    x[i] /= (float) (mask[i] + rho);
                }
                return x;
            }

            @Override
            public String describe() {
                return "diagonal";
            }
        };
        FilterDenoiser d = new FilterDenoiser(n, n, AVERAGE, true);
        SolverResult fast = new PnpAdmm(d).normalSolver(diagonal).maxIterations(40).tolerance(0).solve(p);
        SolverResult cg = new PnpAdmm(d).maxIterations(40).tolerance(0).solve(p);
        float[] a1 = FloatImages.data(fast.image());
        float[] a2 = FloatImages.data(cg.image());
        assertTrue(Vec.distance(a1, a2) < 1e-4 * Vec.norm(a1));
        assertTrue(fast.algorithm().contains("diagonal"));
        // inpainting with a smoothing prior beats the masked data
        double psnrData = Metrics.psnr(y, truth, 1);
        assertTrue(fast.psnr()[39] > psnrData + 3, fast.psnr()[39] + " vs " + psnrData);
    }

    @Test
    void relaxedDrsStaysMonotoneAndSwitchingOffAveragingDropsTheGuarantee() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser d = new FilterDenoiser(N, N, AVERAGE, true);
        SolverResult r = new PnpDrs(d).relaxation(1.5).penalty(0.5).maxIterations(300).tolerance(1e-6).solve(p);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertNonIncreasing(r.residuals(), Vec.norm(FloatImages.data(r.image())), "DRS lambda=1.5");
        assertTrue(r.guarantee().contains("lambda = 1.5"), r.guarantee());
        SolverResult plain = new PnpAdmm(d).averaging(Averaging.NEVER).maxIterations(5).solve(p);
        assertTrue(plain.guarantee().startsWith("none proven"), plain.guarantee());
        SolverResult uncertified = new PnpHqs(new FilterDenoiser(N, N, AVERAGE, false)).maxIterations(5).solve(p);
        assertTrue(uncertified.guarantee().startsWith("none"), uncertified.guarantee());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void onNoisyDataThePriorImprovesOnTheData(String name, Function<Denoiser, IterativeSolver<?>> make) {
        // the averaging filter is a poor prior for fine detail, but on noisy data (about 26 dB) it must help
        Problem p = TestOperators.deblurProblem(N, 0.05);
        SolverResult r = make.apply(new FilterDenoiser(N, N, AVERAGE, true)).maxIterations(300).tolerance(1e-5)
                .solve(p);
        double data = Metrics.psnr(p.dataArray(), p.referenceArray(), 1);
        double out = r.psnr()[r.iterations() - 1];
        System.out.printf("%s on noisy data: PSNR %.2f dB (data %.2f dB)%n", name, out, data);
        assertTrue(out > data + 1, name + ": " + out + " vs data " + data);
    }
}
