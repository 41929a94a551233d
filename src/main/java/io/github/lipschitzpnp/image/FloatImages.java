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

    /**
     * Plane {@code z} of a 3D image as its own 2D float copy; a 2D image is handed back as it is
     * (z must then be 0).
     */
    @SuppressWarnings("unchecked")
    public static <T extends RealType<T>> Img<FloatType> plane(RandomAccessibleInterval<T> img, int z) {
        if (img.numDimensions() == 2) {
            if (z != 0) {
                throw new IllegalArgumentException("a 2D image has only plane 0, not " + z);
            }
            return img instanceof Img && img.getType() instanceof FloatType ? (Img<FloatType>) img : copy(img);
        }
        if (img.numDimensions() != 3) {
            throw new IllegalArgumentException("planes are of 2D or 3D images, not " + img.numDimensions() + "D");
        }
        return copy(Views.hyperSlice(img, 2, img.min(2) + z));
    }

    /** 2D planes of equal size stacked along z (z = index in the list), in one new array. */
    public static Img<FloatType> stack(java.util.List<? extends RandomAccessibleInterval<? extends RealType<?>>> planes) {
        if (planes.isEmpty()) {
            throw new IllegalArgumentException("no planes to stack");
        }
        long[] dims = Intervals.dimensionsAsLongArray(planes.get(0));
        if (dims.length != 2) {
            throw new IllegalArgumentException("stack takes 2D planes, got " + dims.length + "D");
        }
        int size = Math.toIntExact(Intervals.numElements(dims));
        float[] out = new float[Math.multiplyExact(size, planes.size())];
        for (int z = 0; z < planes.size(); z++) {
            if (!java.util.Arrays.equals(Intervals.dimensionsAsLongArray(planes.get(z)), dims)) {
                throw new IllegalArgumentException("plane " + z + " is " + java.util.Arrays.toString(
                        Intervals.dimensionsAsLongArray(planes.get(z))) + ", plane 0 " + java.util.Arrays.toString(dims));
            }
            System.arraycopy(data(planes.get(z)), 0, out, z * size, size);
        }
        return wrap(out, dims[0], dims[1], planes.size());
    }
}
