package io.github.lipschitzpnp.baseline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.Denoiser;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/** A 2D filter applied to a 2D image or to each xy plane of a stack; the input is never modified. */
public abstract class PlaneFilter implements Denoiser {

    /** Filters the plane of {@code w x h} pixels starting at {@code base} of {@code in} into {@code out}. */
    protected abstract void filterPlane(float[] in, float[] out, int base, int w, int h);

    @Override
    public final Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        long[] dims = Intervals.dimensionsAsLongArray(x);
        float[] in = FloatImages.copyData(x);
        int w = (int) dims[0];
        int h = (int) dims[1];
        float[] out = new float[in.length];
        for (int base = 0; base < in.length; base += w * h) {
            filterPlane(in, out, base, w, h);
        }
        return FloatImages.wrap(out, dims);
    }
}
