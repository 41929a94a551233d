package io.github.lipschitzpnp.solve;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A scalar regularisation functional {@code R(x)} with its gradient, for variational
 * reconstruction {@code min 1/2||A x - y||^2 + lambda R(x)} ({@link LearnedRegularisation}). The
 * parallel of {@link Denoiser} for methods that need a value and a gradient instead of an image:
 * a learned 1-Lipschitz network (model.NetworkRegulariser) or a classical functional plug in here.
 */
public interface Regulariser {

    /** A value and a gradient at one image. */
    record Evaluation(double value, Img<FloatType> gradient) {
    }

    /** R(x); never modifies x. */
    double value(RandomAccessibleInterval<FloatType> x);

    /** R(x) and grad R(x) (a new image of x's size); never modifies x. */
    Evaluation evaluate(RandomAccessibleInterval<FloatType> x);

    /**
     * A certified bound on the Lipschitz constant of the underlying network (see the implementing
     * class for the normalisation), or NaN when none is known. Informative only: no convergence
     * theorem for the (nonconvex, nonsmooth) variational problem follows from it.
     */
    double lipschitzBound();

    /** A short human-readable name. */
    String describe();
}
