package io.github.lipschitzpnp.physics;

import java.util.SplittableRandom;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The inner-product test of an operator's adjoint: for random Gaussian x (domain) and y (range),
 * {@code <A x, y>} must equal {@code <x, A^T y>}. Inner products are accumulated in double.
 */
public final class Adjointness {

    /** The two inner products and their relative difference. */
    public record Result(double axDotY, double xDotAty, double relativeError) {

        /** {@code |<Ax,y> - <x,A^T y>| / |<Ax,y>|} (deepinv's normalisation; larger for random inputs). */
        public double relativeToInnerProduct() {
            double a = Math.abs(axDotY);
            return a == 0 ? Math.abs(axDotY - xDotAty) : Math.abs(axDotY - xDotAty) / a;
        }
    }

    private Adjointness() {
    }

    /**
     * Runs the test once with seeded Gaussian inputs. The relative error is
     * {@code |<Ax,y> - <x,A^T y>| / max(||Ax|| ||y||, ||x|| ||A^T y||)}: the difference measured on the
     * scale of the Cauchy-Schwarz bound, so it is not inflated when the inner product happens to be
     * near zero (0 when both sides are exactly 0).
     */
    public static Result test(LinearOperator op, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = gaussian(Dims.count(op.domainDimensions(), op.describe()), rnd);
        float[] y = gaussian(Dims.count(op.rangeDimensions(), op.describe()), rnd);
        Img<FloatType> xi = FloatImages.wrap(x, op.domainDimensions());
        Img<FloatType> yi = FloatImages.wrap(y, op.rangeDimensions());
        float[] ax = FloatImages.data(op.apply(xi));
        float[] aty = FloatImages.data(op.adjoint(yi));
        double left = Dims.dot(ax, y);
        double right = Dims.dot(x, aty);
        double scale = Math.max(Dims.norm(ax) * Dims.norm(y), Dims.norm(x) * Dims.norm(aty));
        double rel = scale == 0 ? Math.abs(left - right) : Math.abs(left - right) / scale;
        return new Result(left, right, rel);
    }

    /** The relative error of {@link #test(LinearOperator, long)}. */
    public static double relativeError(LinearOperator op, long seed) {
        return test(op, seed).relativeError();
    }

    static float[] gaussian(int n, SplittableRandom rnd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i += 2) {
            // Box-Muller, two values per pair of uniforms
            double u1 = 1.0 - rnd.nextDouble();
            double u2 = rnd.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            a[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                a[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return a;
    }
}
