package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The variational solver with analytic regularisers (no network). */
class LearnedRegularisationTest {

    /** R(x) = 1/2 ||x||^2: the minimiser is Tikhonov's. */
    static final class HalfSquaredNorm implements Regulariser {
        @Override
        public double value(RandomAccessibleInterval<FloatType> x) {
            float[] d = FloatImages.copyData(x);
            return 0.5 * Vec.dot(d, d);
        }

        @Override
        public Evaluation evaluate(RandomAccessibleInterval<FloatType> x) {
            return new Evaluation(value(x), FloatImages.copy(x));
        }

        @Override
        public double lipschitzBound() {
            return Double.NaN;
        }

        @Override
        public String describe() {
            return "1/2 ||x||^2";
        }
    }

    static Problem blurProblem(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 + 0.4 * Math.sin(0.4 * (i % n)) + 0.05 * r.nextGaussian());
        }
        Img<FloatType> truth = FloatImages.wrap(x, n, n);
        var a = new TestOperators.PeriodicBlur(n, n, TestOperators.BLUR);
        Img<FloatType> y = a.apply(truth);
        for (FloatType t : y) {
            t.set((float) (t.get() + 0.02 * r.nextGaussian()));
        }
        return Problem.of(a, y).withReference(truth).withDataRange(1);
    }

    @Test
    void withAQuadraticRegulariserItFindsTheTikhonovSolution() {
        Problem p = blurProblem(16, 1);
        double lambda = 0.05;
        SolverResult ours = new LearnedRegularisation(new HalfSquaredNorm()).regularization(lambda)
                .maxIterations(3000).tolerance(0).objectiveTolerance(1e-12).solve(p);
        SolverResult cg = new Tikhonov().regularization(lambda).maxIterations(300).tolerance(1e-9).solve(p);
        double diff = Vec.distance(FloatImages.copyData(ours.image()), FloatImages.copyData(cg.image()));
        assertTrue(diff < 2e-3 * Vec.norm(FloatImages.copyData(cg.image())), "distance to Tikhonov " + diff);
        double[] obj = ours.objectives();
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1], "monotone at " + k);
        }
        assertEquals(StopReason.CONVERGED, ours.stopReason(), ours.message());
    }

    @Test
    void stopsOnTheRelativeObjectiveChange() {
        SolverResult r = new LearnedRegularisation(new HalfSquaredNorm()).regularization(0.05)
                .maxIterations(5000).tolerance(0).objectiveTolerance(1e-4).solve(blurProblem(16, 2));
        assertEquals(StopReason.CONVERGED, r.stopReason());
        assertTrue(r.message().contains("relative objective change"), r.message());
        assertTrue(r.iterations() < 5000);
    }

    @Test
    void listenerCancels() {
        SolverResult r = new LearnedRegularisation(new HalfSquaredNorm()).maxIterations(100)
                .listener((k, res, img) -> k < 3).solve(blurProblem(12, 3));
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertEquals(3, r.iterations());
    }

    @Test
    void methodNeedsARegulariser() {
        assertEquals(Method.ADVERSARIAL_REG, Method.parse("adversarial-reg"));
        assertTrue(Method.ADVERSARIAL_REG.needsRegulariser());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Method.ADVERSARIAL_REG.solver(null, 0.1));
        assertTrue(e.getMessage().contains("regulariser"), e.getMessage());
        assertTrue(Method.ADVERSARIAL_REG.solver(null, new HalfSquaredNorm(), 0.1) instanceof LearnedRegularisation);
    }
}
