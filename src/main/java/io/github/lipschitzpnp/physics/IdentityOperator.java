package io.github.lipschitzpnp.physics;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/** The identity A = I (denoising): apply and adjoint return copies of their input; ||A|| = 1. */
public final class IdentityOperator implements LinearOperator {

    private final long[] dims;

    /** The identity on images of the given dimensions (any number of dimensions). */
    public IdentityOperator(long... dims) {
        Dims.count(dims, "identity");
        this.dims = dims.clone();
    }

    @Override
    public long[] domainDimensions() {
        return dims.clone();
    }

    @Override
    public long[] rangeDimensions() {
        return dims.clone();
    }

    @Override
    public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
        Dims.require(x, dims, "image", "identity");
        return FloatImages.copy(x);
    }

    @Override
    public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
        Dims.require(y, dims, "data", "identity");
        return FloatImages.copy(y);
    }

    @Override
    public double norm() {
        return 1.0;
    }

    @Override
    public String describe() {
        return "identity " + dims.length + "D";
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasNonNegativeEntries() {
        return true;
    }
}
