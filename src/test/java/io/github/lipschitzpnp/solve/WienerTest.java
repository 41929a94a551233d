package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.MaskOperator;
import io.github.lipschitzpnp.physics.Psf;
import java.util.Locale;
import java.util.Random;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

/** Wiener deconvolution against closed forms: the inverse filter and Tikhonov solved by CG. */
class WienerTest {

    private static Img<FloatType> random(long seed, long... dims) {
        Random r = new Random(seed);
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat();
        }
        return FloatImages.wrap(x, dims);
    }

    /** A 3x3 blur whose transfer function 0.6 + 0.2 cos wx + 0.2 cos wy stays >= 0.2: condition number 5. */
    private static Img<FloatType> wellConditionedPsf() {
        return FloatImages.wrap(new float[] {0, 0.1f, 0, 0.1f, 0.6f, 0.1f, 0, 0.1f, 0}, 3, 3);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void tinyNoiseToSignalInvertsAWellConditionedBlur() {
        Img<FloatType> x = random(1, 24, 20);
        ConvolutionOperator a = new ConvolutionOperator(wellConditionedPsf(), new long[] {24, 20}, Boundary.PERIODIC);
        Img<FloatType> y = a.apply(x);
        float[] before = FloatImages.copyData(y);
        SolverResult r = new Wiener().noiseToSignal(1e-9).solve(Problem.of(a, y));
        double err = maxAbsDiff(FloatImages.data(r.image()), FloatImages.data(x));
        System.out.printf(Locale.ROOT, "Wiener nsr 1e-9, periodic well-conditioned blur: max |x - x_true| %.2e%n", err);
        assertTrue(err < 1e-5, "inverse filter error " + err);
        assertEquals(1, r.iterations());
        assertEquals(StopReason.CONVERGED, r.stopReason());
        assertArrayEquals(before, FloatImages.data(y), "data unchanged");
    }

    @Test
    void equalsTikhonovSolvedByConjugateGradientsForTheSameLambda() {
        for (long[] dims : new long[][] {{32, 28}, {16, 14, 10}}) {
            Img<FloatType> x = random(2, dims);
            Img<FloatType> psf = dims.length == 2 ? Psf.gaussian2D(1.5, 9) : Psf.gaussian3D(1.2, 1.5, 7, 7);
            ConvolutionOperator a = new ConvolutionOperator(psf, dims, Boundary.PERIODIC);
            Img<FloatType> y = a.apply(x);
            double lambda = 0.05;
            SolverResult w = Method.WIENER.solver(null, lambda).solve(Problem.of(a, y));
            SolverResult t = new Tikhonov().regularization(lambda).maxIterations(400).tolerance(1e-7)
                    .solve(Problem.of(a, y));
            double d = maxAbsDiff(FloatImages.data(w.image()), FloatImages.data(t.image()));
            System.out.printf(Locale.ROOT, "Wiener vs Tikhonov-CG (%dD, lambda %.2f, %d CG steps): max |diff| %.2e%n",
                    dims.length, lambda, t.iterations(), d);
            assertTrue(d < 1e-4, dims.length + "D: Wiener and Tikhonov differ by " + d);
            // same objective value at the optimum
            assertEquals(t.objectives()[t.iterations() - 1], w.objectives()[0],
                    1e-4 * Math.abs(w.objectives()[0]));
        }
    }

    @Test
    void reflectiveBoundaryWithSymmetricPsfEqualsTikhonovOfTheReflectiveOperator() {
        for (long[] dims : new long[][] {{30, 26}, {14, 12, 9}}) {
            Img<FloatType> x = random(4, dims);
            Img<FloatType> psf = dims.length == 2 ? Psf.gaussian2D(1.3, 7) : Psf.gaussian3D(1.0, 1.4, 5, 5);
            ConvolutionOperator a = new ConvolutionOperator(psf, dims, Boundary.REFLECTIVE);
            Img<FloatType> y = a.apply(x);
            double lambda = 0.02;
            SolverResult w = new Wiener().noiseToSignal(lambda).solve(Problem.of(a, y));
            SolverResult t = new Tikhonov().regularization(lambda).maxIterations(400).tolerance(1e-7)
                    .solve(Problem.of(a, y));
            double d = maxAbsDiff(FloatImages.data(w.image()), FloatImages.data(t.image()));
            System.out.printf(Locale.ROOT, "Wiener vs Tikhonov-CG, reflective %dD: max |diff| %.2e%n", dims.length, d);
            assertTrue(d < 1e-4, dims.length + "D reflective: Wiener and Tikhonov differ by " + d);
        }
    }

    @Test
    void refusesNonConvolutionOperatorsAndBadRatios() {
        Img<FloatType> m = FloatImages.wrap(new float[] {1, 0, 1, 1}, 2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Wiener().solve(Problem.of(new MaskOperator(m), m)));
        assertTrue(e.getMessage().contains("convolution"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Wiener().noiseToSignal(0));
        assertEquals(Method.WIENER, Method.parse("wiener"));
        assertEquals(Method.WIENER, Method.parse("Wiener"));
    }
}
