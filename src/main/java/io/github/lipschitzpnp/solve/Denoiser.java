package io.github.lipschitzpnp.solve;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The prior step of a PnP iteration: maps an image to a cleaner image. A certified 1-Lipschitz
 * network, a classical proximal operator and an unconstrained CNN all plug in here.
 */
public interface Denoiser {

    /** D(x); never modifies x. */
    Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x);

    /**
     * A certified upper bound on the Lipschitz constant of D, or {@code Double.NaN} when none is
     * known (an unconstrained network). Solvers use it to decide which convergence guarantee holds.
     */
    double lipschitzBound();

    /** A short human-readable name. */
    String describe();
}
