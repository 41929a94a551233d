package io.github.lipschitzpnp.solve;

import static io.github.lipschitzpnp.solve.TestOperators.AVERAGE;
import static io.github.lipschitzpnp.solve.TestOperators.SHARPEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.TestOperators.FilterDenoiser;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Divergence guard, cancellation (listener and interrupt), read-only listener view, untouched inputs. */
class GuardAndCancelTest {

    static final int N = 32;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void expansiveDenoiserWithoutRelaxationDivergesAndTheGuardCatchesIt() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser sharpen = new FilterDenoiser(N, N, SHARPEN, true); // bound sum|k| = 5 > 1
        assertFalse(Certificates.isNonExpansive(sharpen));
        SolverResult r = new PnpPgd(sharpen).relaxation(1).maxIterations(500).solve(p);
        double[] res = r.residuals();
        System.out.printf("expansive PGD: %s after %d iterations, residual %.3g -> %.3g, best iteration %d: %s%n",
                r.stopReason(), r.iterations(), res[0], r.finalResidual(), r.bestIteration(), r.message());
        assertEquals(StopReason.DIVERGED, r.stopReason());
        assertTrue(r.message().startsWith("diverged"), r.message());
        assertTrue(r.guarantee().startsWith("none"), r.guarantee());
        assertTrue(r.iterations() < 100, "the guard should stop early, took " + r.iterations());
        // the residual did increase: the monotonicity that holds for certified denoisers fails here
        assertTrue(r.finalResidual() > 2 * res[r.bestIteration() - 1]);
        // the returned image is the best (smallest residual) iterate and is finite
        float[] img = FloatImages.data(r.image());
        assertTrue(Vec.isFinite(img));
        assertArrayEquals(FloatImages.data(r.bestImage()), img);
        assertFalse(java.util.Arrays.equals(FloatImages.data(r.lastImage()), img));
    }

    @Test
    void theSameDenoiserIsStableWhenAveragedByTheSolver() {
        // contrast: the certified averaging filter with alpha = 1 does not trip the guard
        Problem p = TestOperators.deblurProblem(N, 0.01);
        SolverResult r = new PnpPgd(new FilterDenoiser(N, N, AVERAGE, true)).relaxation(1).maxIterations(300)
                .solve(p);
        assertEquals(StopReason.CONVERGED, r.stopReason(), r.message());
        assertTrue(r.guarantee().startsWith("none proven"), r.guarantee());
    }

    @Test
    void nanStopsAtOnceAndKeepsTheLastFiniteIterate() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        FilterDenoiser inner = new FilterDenoiser(N, N, AVERAGE, true);
        Denoiser poisoned = new Denoiser() {
            int calls;

            @Override
            public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
                Img<FloatType> out = inner.denoise(x);
                if (++calls == 5) {
                    FloatImages.data(out)[17] = Float.NaN;
                }
                return out;
            }

            @Override
            public double lipschitzBound() {
                return Double.NaN;
            }

            @Override
            public String describe() {
                return "poisoned";
            }
        };
        SolverResult r = new PnpPgd(poisoned).maxIterations(100).tolerance(0).solve(p);
        assertEquals(StopReason.DIVERGED, r.stopReason());
        assertEquals(5, r.iterations());
        assertTrue(r.message().contains("NaN"), r.message());
        assertTrue(Vec.isFinite(FloatImages.data(r.lastImage())));
        assertTrue(Vec.isFinite(FloatImages.data(r.image())));
        // the last finite iterate is the one after iteration 4: rerun 4 iterations to compare
        SolverResult four = new PnpPgd(inner).maxIterations(4).tolerance(0).solve(p);
        assertArrayEquals(FloatImages.data(four.image()), FloatImages.data(r.lastImage()));
    }

    @Test
    void listenerCancelKeepsTheLastIterateAndSeesEveryIteration() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        List<Double> seen = new ArrayList<>();
        float[][] atStop = new float[1][];
        SolverResult r = new PnpAdmm(new FilterDenoiser(N, N, AVERAGE, true)).maxIterations(100).tolerance(0)
                .listener((k, res, img) -> {
                    seen.add(res);
                    if (k == 3) {
                        atStop[0] = FloatImages.copyData(img);
                        return false;
                    }
                    return true;
                }).solve(p);
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertEquals(3, r.iterations());
        assertEquals(3, seen.size());
        assertEquals(seen.get(2), r.finalResidual());
        assertArrayEquals(atStop[0], FloatImages.data(r.image()));
    }

    @Test
    void threadInterruptCancelsAndKeepsTheLastIterate() {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        float[][] atTwo = new float[1][];
        SolverResult r = new TvPdhg().maxIterations(100).tolerance(0).listener((k, res, img) -> {
            if (k == 2) {
                atTwo[0] = FloatImages.copyData(img);
                Thread.currentThread().interrupt(); // as a UI's cancel button would, from outside
            }
            return true;
        }).solve(p);
        assertTrue(Thread.interrupted(), "the interrupt flag is restored for the caller");
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertEquals(2, r.iterations());
        assertArrayEquals(atTwo[0], FloatImages.data(r.image()));
    }

    @Test
    void interruptFromAnotherThreadStopsALongRun() throws Exception {
        Problem p = TestOperators.deblurProblem(N, 0.01);
        SolverResult[] out = new SolverResult[1];
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> out[0] = new PnpPgd(new FilterDenoiser(N, N, AVERAGE, true))
                .maxIterations(Integer.MAX_VALUE / 8).tolerance(0).listener((k, res, img) -> {
                    started.countDown();
                    return true;
                }).solve(p));
        // a budget this large would run for hours; the interrupt must end it
        t.start();
        started.await();
        t.interrupt();
        t.join(60_000);
        assertFalse(t.isAlive());
        assertEquals(StopReason.CANCELLED, out[0].stopReason());
        assertTrue(Vec.isFinite(FloatImages.data(out[0].image())));
    }

    @Test
    void listenerViewIsReadOnlyAndInputsAreNeverModified() {
        int n = N;
        float[] y = TestOperators.addNoise(TestOperators.correlate3x3(TestOperators.phantom(n, n), n, n,
                TestOperators.BLUR, false), 0.01, 1);
        float[] x0 = TestOperators.phantom(n, n);
        float[] truth = TestOperators.phantom(n, n);
        Img<FloatType> yImg = FloatImages.wrap(y.clone(), n, n);
        Img<FloatType> x0Img = FloatImages.wrap(x0.clone(), n, n);
        Img<FloatType> truthImg = FloatImages.wrap(truth.clone(), n, n);
        Problem p = Problem.of(new TestOperators.PeriodicBlur(n, n, TestOperators.BLUR), yImg).withInitial(x0Img)
                .withReference(truthImg);
        FilterDenoiser d = new FilterDenoiser(n, n, AVERAGE, true);
        SolverResult plain = new PnpDrs(d).maxIterations(10).tolerance(0).solve(p);
        SolverResult vandal = new PnpDrs(d).maxIterations(10).tolerance(0).listener((k, res, img) -> {
            for (FloatType t : net.imglib2.view.Views.flatIterable(img)) {
                t.set(1e6f);
            }
            return true;
        }).solve(p);
        assertArrayEquals(FloatImages.data(plain.image()), FloatImages.data(vandal.image()));
        assertArrayEquals(y, FloatImages.data(yImg));
        assertArrayEquals(x0, FloatImages.data(x0Img));
        assertArrayEquals(truth, FloatImages.data(truthImg));
        // results do not share arrays with each other
        FloatImages.data(plain.image())[0] = 42;
        assertFalse(FloatImages.data(plain.image())[0] == 42);
    }

    @Test
    void aDenoiserThatReturnsItsInputDoesNotCorruptTheCaller() {
        Denoiser identity = new Denoiser() {
            @Override
            public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
                return (Img<FloatType>) x; // lazy but legal: x is not modified
            }

            @Override
            public double lipschitzBound() {
                return 1;
            }

            @Override
            public String describe() {
                return "identity";
            }
        };
        float[] v = TestOperators.phantom(16, 16);
        float[] copy = v.clone();
        Img<FloatType> img = FloatImages.wrap(v, 16, 16);
        float[] avg = FloatImages.data(new AveragedDenoiser(identity).denoise(img));
        assertArrayEquals(copy, avg);
        avg[0] = 99;
        assertArrayEquals(copy, v);
        float[] d = Flat.denoise(identity, v, new long[] {16, 16});
        d[0] = 99;
        assertArrayEquals(copy, v);
    }
}
