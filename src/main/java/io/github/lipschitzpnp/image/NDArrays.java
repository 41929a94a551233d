package io.github.lipschitzpnp.image;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * The DJL boundary: ImgLib2 images to float32 NDArrays and back. ImgLib2's x-fastest order is
 * NDArray's row-major order with the axes reversed: an image of size (W, H) becomes shape
 * (1, 1, H, W), a stack (W, H, D) becomes (1, 1, D, H, W) (batch, channel, then spatial axes), and
 * a batch of N equal tiles becomes (N, 1, h, w) or (N, 1, d, h, w). Each conversion is one bulk
 * copy (one host-to-device copy when the target device is not the CPU).
 */
public final class NDArrays {

    private NDArrays() {
    }

    /** A (1, 1, H, W) or (1, 1, D, H, W) float32 array on the manager's device. */
    public static NDArray toNDArray(RandomAccessibleInterval<? extends RealType<?>> img, NDManager manager) {
        return toNDArray(img, manager, null);
    }

    /**
     * A (1, 1, H, W) or (1, 1, D, H, W) float32 array attached to {@code manager}, on
     * {@code device} (null: the manager's device).
     */
    public static NDArray toNDArray(RandomAccessibleInterval<? extends RealType<?>> img, NDManager manager,
            Device device) {
        int nd = img.numDimensions();
        if (nd != 2 && nd != 3) {
            throw new IllegalArgumentException("need a 2D or 3D image, got " + nd + "D");
        }
        long[] spatial = reversed(Intervals.dimensionsAsLongArray(img));
        long[] shape = new long[nd + 2];
        shape[0] = 1;
        shape[1] = 1;
        System.arraycopy(spatial, 0, shape, 2, nd);
        return create(FloatImages.data(img), new Shape(shape), manager, device);
    }

    /**
     * A (N, 1, h, w) or (N, 1, d, h, w) float32 batch of equally sized 2D or 3D tiles, attached to
     * {@code manager}, on {@code device} (null: the manager's device).
     */
    public static NDArray toBatch(List<? extends RandomAccessibleInterval<? extends RealType<?>>> tiles,
            NDManager manager, Device device) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("no tiles to batch");
        }
        long[] dims = Intervals.dimensionsAsLongArray(tiles.get(0));
        int nd = dims.length;
        if (nd != 2 && nd != 3) {
            throw new IllegalArgumentException("tiles must be 2D or 3D, got " + nd + "D");
        }
        long per = Intervals.numElements(dims);
        long total = per * tiles.size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + total + " values is too large; use smaller batches");
        }
        float[] all = new float[(int) total];
        for (int i = 0; i < tiles.size(); i++) {
            RandomAccessibleInterval<? extends RealType<?>> t = tiles.get(i);
            if (!Arrays.equals(dims, Intervals.dimensionsAsLongArray(t))) {
                throw new IllegalArgumentException("tile " + i + " has size "
                        + Arrays.toString(Intervals.dimensionsAsLongArray(t)) + ", tile 0 has " + Arrays.toString(dims));
            }
            System.arraycopy(FloatImages.data(t), 0, all, (int) (i * per), (int) per);
        }
        long[] shape = new long[nd + 2];
        shape[0] = tiles.size();
        shape[1] = 1;
        System.arraycopy(reversed(dims), 0, shape, 2, nd);
        return create(all, new Shape(shape), manager, device);
    }

    private static NDArray create(float[] data, Shape shape, NDManager manager, Device device) {
        if (device == null || device.equals(manager.getDevice())) {
            return manager.create(data, shape);
        }
        try (NDManager staging = manager.newSubManager()) {
            NDArray host = staging.create(data, shape);
            NDArray moved = host.toDevice(device, false);
            moved.attach(manager);
            return moved;
        }
    }

    /**
     * A float image from an array of shape (H, W), (D, H, W), or those with leading axes of size 1
     * (e.g. (1, 1, H, W), (1, 1, D, H, W)): 2D (W, H) or 3D (W, H, D). Other types are converted
     * to float32. The array is copied to the host; it is not closed.
     */
    public static Img<FloatType> toImg(NDArray array) {
        long[] shape = array.getShape().getShape();
        int first = 0;
        while (shape.length - first > 2 && shape[first] == 1) {
            first++;
        }
        int nd = shape.length - first;
        if (nd != 2 && nd != 3) {
            throw new IllegalArgumentException("expected shape (H, W) or (D, H, W) with optional leading 1s, got "
                    + array.getShape());
        }
        long[] dims = reversed(Arrays.copyOfRange(shape, first, shape.length));
        return FloatImages.wrap(floats(array), dims);
    }

    /**
     * The tiles of a (N, 1, h, w) or (N, 1, d, h, w) batch (also (N, h, w)) as N float images of
     * size (w, h) or (w, h, d).
     */
    public static List<Img<FloatType>> fromBatch(NDArray batch) {
        long[] shape = batch.getShape().getShape();
        long[] spatial;
        if (shape.length >= 4 && shape[1] == 1) {
            spatial = Arrays.copyOfRange(shape, 2, shape.length);
        } else if (shape.length == 3) {
            spatial = Arrays.copyOfRange(shape, 1, 3);
        } else {
            throw new IllegalArgumentException("expected a batch of shape (N, 1, h, w), (N, 1, d, h, w) or (N, h, w),"
                    + " got " + batch.getShape());
        }
        if (spatial.length != 2 && spatial.length != 3) {
            throw new IllegalArgumentException("tiles must be 2D or 3D, got shape " + batch.getShape());
        }
        long[] dims = reversed(spatial);
        int per = Math.toIntExact(Intervals.numElements(dims));
        float[] all = floats(batch);
        List<Img<FloatType>> out = new ArrayList<>((int) shape[0]);
        for (int i = 0; i < shape[0]; i++) {
            out.add(FloatImages.wrap(Arrays.copyOfRange(all, i * per, (i + 1) * per), dims));
        }
        return out;
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static long[] reversed(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
