package io.github.lipschitzpnp.physics;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * Inpainting: {@code (A x)(r) = m(r) x(r)} with a mask m of 0 (missing) and 1 (observed), same
 * dimensions for image and data (missing pixels are 0 in the data). A is an orthogonal projection,
 * so it is self-adjoint and ||A|| = 1 (0 for an all-zero mask).
 */
public final class MaskOperator implements LinearOperator {

    private final long[] dims;
    private final float[] mask;
    private final int observed;

    /**
     * @param mask 0/1 image (any real type); any other value is an error naming the first bad pixel
     */
    public MaskOperator(RandomAccessibleInterval<? extends RealType<?>> mask) {
        this.dims = Intervals.dimensionsAsLongArray(mask);
        Dims.count(dims, "mask");
        this.mask = FloatImages.copyData(mask);
        int ones = 0;
        for (int i = 0; i < this.mask.length; i++) {
            float v = this.mask[i];
            if (v == 1f) {
                ones++;
            } else if (v != 0f) {
                throw new IllegalArgumentException("mask: pixel " + i + " (flat index, x fastest) is " + v
                        + "; a mask must contain only 0 (missing) and 1 (observed); threshold it first");
            }
        }
        this.observed = ones;
    }

    /** Number of observed (value 1) pixels. */
    public int observedCount() {
        return observed;
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
        Dims.require(x, dims, "image", "mask");
        return multiply(x);
    }

    @Override
    public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
        Dims.require(y, dims, "data", "mask");
        return multiply(y);
    }

    private Img<FloatType> multiply(RandomAccessibleInterval<FloatType> in) {
        float[] a = FloatImages.data(in);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = mask[i] != 0f ? a[i] : 0f; // missing pixels become 0 even when NaN
        }
        return FloatImages.wrap(out, dims);
    }

    @Override
    public double norm() {
        return observed > 0 ? 1.0 : 0.0;
    }

    @Override
    public String describe() {
        return "mask " + dims.length + "D (" + observed + " of " + mask.length + " pixels observed)";
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasNonNegativeEntries() {
        return true;
    }
}
