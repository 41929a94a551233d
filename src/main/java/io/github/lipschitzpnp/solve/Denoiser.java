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

    /**
     * A certified averagedness {@code alpha} in (0, 1]: D = (1 - alpha) I + alpha N with N
     * non-expansive (for a bundled network, its learned identity mix). Meaningful only when
     * {@link #lipschitzBound()} certifies D non-expansive; 1 (the default) claims nothing beyond
     * that. With it, I + c (D - I) is firmly non-expansive for every c <= 1 / (2 alpha), not only
     * for the c = 1/2 of (I + D)/2 ({@link Averaging#CERTIFIED}).
     */
    default double averagedness() {
        return 1;
    }

    /** A short human-readable name. */
    String describe();
}
