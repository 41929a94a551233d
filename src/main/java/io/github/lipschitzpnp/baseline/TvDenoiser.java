package io.github.lipschitzpnp.baseline;

import io.github.lipschitzpnp.physics.IdentityOperator;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.TvPdhg;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

import java.util.Locale;

/**
 * Total-variation denoising {@code argmin_x 1/2 ||x - y||^2 + weight TV(x)} (isotropic TV, the ROF
 * model of Chambolle's projection algorithm), solved by {@link TvPdhg} with the identity operator.
 * The proximal map of a convex function, hence firmly non-expansive (bound 1).
 */
public final class TvDenoiser implements Denoiser {

    private final double weight;
    private final int iterations;

    public TvDenoiser(double weight, int iterations) {
        this.weight = weight;
        this.iterations = iterations;
    }

    public double weight() {
        return weight;
    }

    @Override
    public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        Problem p = Problem.of(new IdentityOperator(Intervals.dimensionsAsLongArray(x)), x).withInitial(x);
        return new TvPdhg().regularization(weight).maxIterations(iterations).tolerance(0).solve(p).image();
    }

    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "TV denoising (weight %.4f, %d PDHG iterations)", weight, iterations);
    }
}
