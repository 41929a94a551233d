package io.github.lipschitzpnp.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * The one place where ImgLib2 images meet flat {@code float[]} arrays (x fastest, then y, then z),
 * which the FFTs, the Radon transform and the DJL boundary need.
 */
public final class FloatImages {

    private FloatImages() {
    }

    /** A new zero image of the given dimensions, backed by one float array. */
    public static ArrayImg<FloatType, FloatArray> create(long... dims) {
        return ArrayImgs.floats(dims);
    }

    /** Wraps (does not copy) a float array as an image of the given dimensions. */
    public static ArrayImg<FloatType, FloatArray> wrap(float[] data, long... dims) {
        if (Intervals.numElements(dims) != data.length) {
            throw new IllegalArgumentException("array of length " + data.length + " does not match dimensions "
                    + java.util.Arrays.toString(dims));
        }
        return ArrayImgs.floats(data, dims);
    }

    /**
     * The pixels as a flat float array. For an array-backed float image of the same extent this is
     * the backing array itself (no copy: do not modify it unless you own the image); otherwise a copy.
     */
    public static float[] data(RandomAccessibleInterval<? extends RealType<?>> img) {
        if (img instanceof ArrayImg && Views.isZeroMin(img)) {
            Object access = ((ArrayImg<?, ?>) img).update(null);
            if (access instanceof FloatArray) {
                return ((FloatArray) access).getCurrentStorageArray();
            }
        }
        return copyData(img);
    }

    /** A fresh copy of the pixels as a flat float array, safe to modify. */
    public static float[] copyData(RandomAccessibleInterval<? extends RealType<?>> img) {
        long n = Intervals.numElements(img);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image of " + n + " pixels is too large for one array; tile it");
        }
        float[] out = new float[(int) n];
        int i = 0;
        for (RealType<?> t : Views.flatIterable(img)) {
            out[i++] = t.getRealFloat();
        }
        return out;
    }

    /** A float copy of any real-valued image, array-backed, with the same dimensions. */
    public static Img<FloatType> copy(RandomAccessibleInterval<? extends RealType<?>> img) {
        return wrap(copyData(img), Intervals.dimensionsAsLongArray(img));
    }
}
