package io.github.lipschitzpnp.physics;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A forward operator {@code A} of an imaging inverse problem: a linear map from images of
 * {@link #domainDimensions()} to data of {@link #rangeDimensions()}, with its adjoint and an
 * estimate of its operator norm. Implementations never modify their inputs and return new images.
 */
public interface LinearOperator {

    /** Dimensions of the unknown image x. */
    long[] domainDimensions();

    /** Dimensions of the measured data y = A x. */
    long[] rangeDimensions();

    /** y = A x. */
    Img<FloatType> apply(RandomAccessibleInterval<FloatType> x);

    /** x = A^T y, the exact adjoint: {@code <A x, y> = <x, A^T y>}. */
    Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y);

    /**
     * The operator norm ||A||_2, exact where known (e.g. from the transfer function), otherwise a
     * converged power-iteration estimate.
     */
    double norm();

    /**
     * Whether every entry of A's matrix is {@code >= 0}, so that {@code A 1} and {@code A^T 1} are
     * its absolute row and column sums (what diagonally preconditioned primal-dual steps need);
     * {@code false} where unknown.
     */
    default boolean hasNonNegativeEntries() {
        return false;
    }

    /** A short human-readable name, e.g. "convolution 2D (periodic)". */
    String describe();
}
