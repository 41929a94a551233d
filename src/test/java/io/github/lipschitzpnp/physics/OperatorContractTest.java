package io.github.lipschitzpnp.physics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.planar.PlanarImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.view.Views;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/** The contract every operator keeps: exact adjoint, correct norm, inputs untouched, size errors. */
class OperatorContractTest {

    private static Img<FloatType> randomMask(long... dims) {
        Img<FloatType> m = TestImages.uniform(11, dims);
        for (FloatType t : m) {
            t.set(t.get() < 0.6f ? 1f : 0f);
        }
        return m;
    }

    /** An asymmetric PSF with a negative tap, so max|H| is not trivially 1. */
    private static Img<FloatType> oddPsf() {
        return FloatImages.wrap(new float[] {0.05f, 0.2f, 0.1f, -0.05f, 0.5f, 0.15f, 0.0f, 0.05f, 0.0f, 0.0f, 0.0f,
                0.0f}, 4, 3);
    }

    static Stream<Arguments> operators() {
        List<Arguments> ops = new ArrayList<>();
        ops.add(Arguments.of(new IdentityOperator(20, 13), 1.0));
        ops.add(Arguments.of(new IdentityOperator(6, 5, 4), 1.0));
        ConvolutionOperator periodic = new ConvolutionOperator(oddPsf(), new long[] {30, 21}, Boundary.PERIODIC);
        ops.add(Arguments.of(periodic, periodic.transferFunctionMax()));
        ops.add(Arguments.of(new ConvolutionOperator(oddPsf(), new long[] {30, 21}, Boundary.ZERO), Double.NaN));
        ops.add(Arguments.of(new ConvolutionOperator(oddPsf(), new long[] {30, 21}, Boundary.REFLECTIVE), Double.NaN));
        // symmetric non-negative PSF with mirror boundaries: ||A|| = 1 (see ConvolutionOperatorTest)
        ops.add(Arguments.of(new ConvolutionOperator(Psf.gaussian2D(1.2, 7), new long[] {25, 18}, Boundary.REFLECTIVE),
                1.0));
        Img<FloatType> psf3 = Psf.gaussian3D(1.0, 1.5, 5, 7);
        ops.add(Arguments.of(new ConvolutionOperator(psf3, new long[] {14, 12, 9}, Boundary.PERIODIC), 1.0));
        ops.add(Arguments.of(new ConvolutionOperator(psf3, new long[] {14, 12, 9}, Boundary.ZERO), Double.NaN));
        ops.add(Arguments.of(new ConvolutionOperator(psf3, new long[] {14, 12, 9}, Boundary.REFLECTIVE), 1.0));
        ops.add(Arguments.of(new ParallelBeamRadon(32, ParallelBeamRadon.uniformAngles(30), 32), Double.NaN));
        ops.add(Arguments.of(new ParallelBeamRadon(31, new double[] {0, 3, 7.5, 44, 45, 91, 179.9, 200, -30}, 45),
                Double.NaN));
        ops.add(Arguments.of(new ParallelBeamRadon(20, ParallelBeamRadon.uniformAngles(7), 17), Double.NaN));
        ops.add(Arguments.of(new ParallelBeamRadon(16, new double[] {0, 90}, 16), Math.sqrt(32)));
        ops.add(Arguments.of(new MaskOperator(randomMask(19, 23)), 1.0));
        ops.add(Arguments.of(new MaskOperator(randomMask(8, 7, 6)), 1.0));
        ops.add(Arguments.of(new DownsampleOperator(new long[] {24, 18}, 3), 1.0 / 3));
        ops.add(Arguments.of(new DownsampleOperator(new long[] {8, 12, 6}, 2), Math.pow(2, -1.5)));
        return ops.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void adjointIsExact(LinearOperator op, double knownNorm) {
        for (long seed = 1; seed <= 3; seed++) {
            Adjointness.Result r = Adjointness.test(op, seed);
            System.out.printf(Locale.ROOT, "adjoint %-60s seed %d: relative error %.2e (to |<Ax,y>|: %.2e)%n",
                    op.describe(), seed, r.relativeError(), r.relativeToInnerProduct());
            // measured on the Cauchy-Schwarz scale (see Adjointness): float rounding gives about 1e-8 here;
            // dividing by |<Ax,y>| instead inflates it whenever the random inner product is near zero
            assertTrue(r.relativeError() <= 1e-6, op.describe() + ": " + r);
            assertTrue(Math.abs(r.axDotY()) > 0, "a zero inner product proves nothing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void normIsRight(LinearOperator op, double knownNorm) {
        double pi = PowerIteration.run(op, 500, 42, 1e-9).norm();
        if (op instanceof ParallelBeamRadon) {
            double bound = ((ParallelBeamRadon) op).normUpperBound();
            System.out.printf(Locale.ROOT, "%s: power iteration %.4f, Schur bound %.4f%n", op.describe(), pi, bound);
            assertTrue(pi <= bound, op.describe() + ": power iteration " + pi + " above bound " + bound);
            assertTrue(bound <= 1.5 * pi, op.describe() + ": bound " + bound + " too loose to be useful");
        }
        if (op instanceof ConvolutionOperator) {
            double bound = ((ConvolutionOperator) op).normUpperBound();
            assertTrue(pi <= bound * (1 + 1e-5), op.describe() + ": power iteration " + pi + " above bound " + bound);
        }
        if (!Double.isNaN(knownNorm)) {
            assertEquals(knownNorm, op.norm(), 0.01 * knownNorm, op.describe() + " norm()");
            assertEquals(knownNorm, pi, 0.01 * knownNorm, op.describe() + " power iteration");
        } else {
            // no closed form: norm() must at least be a converged power iteration from another start
            assertEquals(pi, op.norm(), 0.01 * pi, op.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void inputsAreNotModified(LinearOperator op, double knownNorm) {
        Img<FloatType> x = TestImages.uniform(5, op.domainDimensions());
        Img<FloatType> y = TestImages.uniform(6, op.rangeDimensions());
        float[] x0 = FloatImages.copyData(x);
        float[] y0 = FloatImages.copyData(y);
        Img<FloatType> ax = op.apply(x);
        Img<FloatType> aty = op.adjoint(y);
        assertArrayEquals(x0, FloatImages.data(x));
        assertArrayEquals(y0, FloatImages.data(y));
        assertTrue(FloatImages.data(ax) != FloatImages.data(x) && FloatImages.data(aty) != FloatImages.data(y),
                "results must be new images");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void planarAndTranslatedInputsGiveTheSameResult(LinearOperator op, double knownNorm) {
        Img<FloatType> x = TestImages.uniform(12, op.domainDimensions());
        Img<FloatType> planar = new PlanarImgFactory<>(new FloatType()).create(op.domainDimensions());
        LoopBuilder.setImages(x, planar).forEachPixel((a, b) -> b.set(a));
        long[] offset = new long[x.numDimensions()];
        java.util.Arrays.fill(offset, 7);
        float[] expected = FloatImages.data(op.apply(x));
        assertArrayEquals(expected, FloatImages.data(op.apply(planar)));
        assertArrayEquals(expected, FloatImages.data(op.apply(Views.zeroMin(Views.translate(x, offset)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void wrongSizesAreClearErrors(LinearOperator op, double knownNorm) {
        long[] bad = op.domainDimensions();
        bad[0] += 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.apply(FloatImages.create(bad)));
        assertTrue(e.getMessage().contains("expects"), e.getMessage());
        long[] badY = op.rangeDimensions();
        badY[badY.length - 1] += 2;
        assertThrows(IllegalArgumentException.class, () -> op.adjoint(FloatImages.create(badY)));
    }

    @Test
    void operatorConstructionErrors() {
        assertThrows(IllegalArgumentException.class, () -> new DownsampleOperator(new long[] {10, 9}, 2));
        assertThrows(IllegalArgumentException.class, () -> new DownsampleOperator(new long[] {10, 10}, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaskOperator(FloatImages.wrap(new float[] {0, 1, 0.5f, 1}, 2, 2)));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IdentityOperator(4, 0));
    }

    @Test
    void maskAndDownsampleValues() {
        MaskOperator m = new MaskOperator(FloatImages.wrap(new float[] {1, 0, 1, 0}, 2, 2));
        float[] y = FloatImages.data(m.apply(FloatImages.wrap(new float[] {3, Float.NaN, 5, 7}, 2, 2)));
        assertArrayEquals(new float[] {3, 0, 5, 0}, y);
        assertEquals(2, m.observedCount());
        DownsampleOperator d = new DownsampleOperator(new long[] {4, 2}, 2);
        float[] s = FloatImages.data(d.apply(FloatImages.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)));
        assertArrayEquals(new float[] {3.5f, 5.5f}, s, 1e-6f);
        float[] up = FloatImages.data(d.adjoint(FloatImages.wrap(new float[] {4, 8}, 2, 1)));
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2}, up, 1e-6f);
    }
}
