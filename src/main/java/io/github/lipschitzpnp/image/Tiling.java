package io.github.lipschitzpnp.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import net.imglib2.FinalInterval;
import net.imglib2.Interval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * Splits a 2D or 3D image into overlapping tiles, processes each tile on its own and blends the
 * results back with smooth weights.
 *
 * <p>Rules: along each axis of length {@code n}, tiles have the tile size {@code t} (or {@code n}
 * when the image is smaller than a tile) and start every {@code t - overlap} pixels; the last tile
 * is moved back to end at the image's edge, so every tile has the same size and none sticks out.
 * Inside the overlap band a tile's weight rises (or falls) with a raised-cosine ramp of width
 * {@code overlap}; elsewhere it is 1; weights are normalised to sum to 1 at every pixel. A pointwise
 * function is therefore reproduced exactly (up to the rounding of the final float), and a function
 * with a small footprint (a filter, a network with receptive field smaller than the overlap)
 * differs from its whole-image result only near the seams.
 *
 * <p>{@link #cropping} tiles instead keep only their interior: a tile's weight is 0 within
 * {@code overlap / 2} pixels of an edge it shares with a neighbour and 1 elsewhere. When {@code f}
 * is local with a footprint radius of at most {@code overlap / 2} (a convolutional network with
 * zero padding and that receptive radius), every kept pixel sees exactly the neighbourhood it has
 * in the whole image, so the tiled result equals the untiled one up to float rounding.
 *
 * <p>With an alignment {@code a > 1} every tile starts at a multiple of {@code a} (tiles grow by
 * less than {@code a} so that the last one still ends at the edge), for functions that are only
 * equivariant to shifts by multiples of {@code a} (a network on {@code a x a} pixel cells).
 */
public final class Tiling {

    /** Told after each tile. */
    @FunctionalInterface
    public interface Progress {
        void tileDone(int done, int total);
    }

    private final long[] tileSize;
    private final long[] overlap;
    private final boolean crop;
    private final long align;

    /**
     * @param tileSize tile size per axis (x, y[, z]); one value applies to all axes
     * @param overlap overlap per axis, {@code 0 <= overlap < tileSize}; one value applies to all
     */
    public Tiling(long[] tileSize, long[] overlap) {
        this(tileSize, overlap, false, 1);
    }

    /** As {@link #Tiling(long[], long[])} with tile starts at multiples of {@code align}. */
    public Tiling(long[] tileSize, long[] overlap, long align) {
        this(tileSize, overlap, false, align);
    }

    private Tiling(long[] tileSize, long[] overlap, boolean crop, long align) {
        this.crop = crop;
        if (align < 1) {
            throw new IllegalArgumentException("alignment must be >= 1, got " + align);
        }
        this.align = align;
        if (tileSize.length == 0 || overlap.length == 0) {
            throw new IllegalArgumentException("need a tile size and an overlap");
        }
        this.tileSize = tileSize.clone();
        this.overlap = overlap.clone();
        for (int i = 0; i < Math.max(tileSize.length, overlap.length); i++) {
            long t = at(this.tileSize, i);
            long o = at(this.overlap, i);
            if (t < 1 || o < 0 || o + align > t) {
                throw new IllegalArgumentException("need tile size >= 1 and 0 <= overlap < tile size"
                        + (align > 1 ? " - alignment " + (align - 1) : "") + ", got tile " + t + ", overlap " + o
                        + " on axis " + i);
            }
        }
    }

    /**
     * Tiles that keep only their interior (see the class comment): exact for a local function whose
     * footprint radius is at most {@code margin}; the overlap is {@code 2 * margin}.
     *
     * @param tileSize tile size per axis (one value applies to all axes), more than {@code 2 * margin}
     */
    public static Tiling cropping(long[] tileSize, long margin) {
        return cropping(tileSize, margin, 1);
    }

    /** As {@link #cropping(long[], long)} with tile starts at multiples of {@code align}. */
    public static Tiling cropping(long[] tileSize, long margin, long align) {
        if (margin < 0) {
            throw new IllegalArgumentException("margin must be >= 0, got " + margin);
        }
        return new Tiling(tileSize, new long[] {2 * margin}, true, align);
    }

    /** The same tile size and overlap on every axis. */
    public static Tiling of(long tileSize, long overlap) {
        return new Tiling(new long[] {tileSize}, new long[] {overlap});
    }

    private static long at(long[] a, int d) {
        return a.length == 1 ? a[0] : a[d];
    }

    private void checkDims(int nd) {
        if (nd != 2 && nd != 3) {
            throw new IllegalArgumentException("tiling needs a 2D or 3D image, got " + nd + "D");
        }
        if ((tileSize.length != 1 && tileSize.length != nd) || (overlap.length != 1 && overlap.length != nd)) {
            throw new IllegalArgumentException("tile size / overlap given for " + tileSize.length + " / "
                    + overlap.length + " axes, image has " + nd);
        }
    }

    /**
     * The tile size along one axis of length n: the whole axis when it fits in one tile; with an
     * alignment, grown by less than the alignment so that {@code n - size} is a multiple of it.
     */
    private long size(long n, int d) {
        long t = at(tileSize, d);
        if (n <= t) {
            return n;
        }
        return n - ((n - t) / align) * align;
    }

    /** Tile starts along one axis of length n. */
    private long[] starts(long n, int d) {
        long t = size(n, d);
        if (n <= t) {
            return new long[] {0};
        }
        long step = ((t - at(overlap, d)) / align) * align;
        int count = (int) ((n - t + step - 1) / step) + 1;
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            s[i] = Math.min(i * step, n - t);
        }
        return s;
    }

    /** The number of tiles for an image of these dimensions. */
    public int tileCount(long... dims) {
        checkDims(dims.length);
        long count = 1;
        for (int d = 0; d < dims.length; d++) {
            count *= starts(dims[d], d).length;
        }
        return Math.toIntExact(count);
    }

    /** The number of tiles for this image. */
    public int tileCount(Interval img) {
        return tileCount(Intervals.dimensionsAsLongArray(img));
    }

    /** The tiles of an image of these dimensions (zero-based), x-tiles fastest. */
    public List<Interval> tiles(long... dims) {
        checkDims(dims.length);
        int nd = dims.length;
        long[][] starts = new long[nd][];
        long[] size = new long[nd];
        for (int d = 0; d < nd; d++) {
            starts[d] = starts(dims[d], d);
            size[d] = size(dims[d], d);
        }
        List<Interval> out = new ArrayList<>();
        int[] idx = new int[nd];
        while (true) {
            long[] min = new long[nd];
            long[] max = new long[nd];
            for (int d = 0; d < nd; d++) {
                min[d] = starts[d][idx[d]];
                max[d] = min[d] + size[d] - 1;
            }
            out.add(new FinalInterval(min, max));
            int d = 0;
            while (d < nd && ++idx[d] == starts[d].length) {
                idx[d] = 0;
                d++;
            }
            if (d == nd) {
                return out;
            }
        }
    }

    /** {@link #apply(RandomAccessibleInterval, UnaryOperator, Progress, BooleanSupplier)} without callbacks. */
    public Img<FloatType> apply(RandomAccessibleInterval<? extends RealType<?>> img, UnaryOperator<Img<FloatType>> f) {
        return apply(img, f, null, null);
    }

    /**
     * Applies {@code f} tile by tile and blends the results. {@code f} gets a zero-based float copy
     * of a tile (it may modify or return it) and must return an image of the same size.
     *
     * @param progress told after each tile (may be null)
     * @param cancelled checked before each tile; when it says true a {@link CancellationException} is
     *     thrown (may be null)
     */
    public Img<FloatType> apply(RandomAccessibleInterval<? extends RealType<?>> img, UnaryOperator<Img<FloatType>> f,
            Progress progress, BooleanSupplier cancelled) {
        int nd = img.numDimensions();
        checkDims(nd);
        long[] dims = Intervals.dimensionsAsLongArray(img);
        long total = Intervals.numElements(dims);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image of " + total + " pixels is too large for one array");
        }
        float[] src = FloatImages.data(img);
        // Per axis: the sum over tiles of the 1D weights at each coordinate (tiles form a grid, so
        // the sum of the products is the product of the sums).
        double[][] norm = new double[nd][];
        for (int d = 0; d < nd; d++) {
            norm[d] = new double[(int) dims[d]];
            long[] s = starts(dims[d], d);
            long size = size(dims[d], d);
            for (int k = 0; k < s.length; k++) {
                double[] w = weights(s, k, size, dims[d], d);
                for (int i = 0; i < size; i++) {
                    norm[d][(int) (s[k] + i)] += w[i];
                }
            }
        }
        double[] acc = new double[(int) total];
        List<Interval> tiles = tiles(dims);
        int done = 0;
        for (Interval tile : tiles) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled after " + done + " of " + tiles.size() + " tiles");
            }
            long[] tdims = Intervals.dimensionsAsLongArray(tile);
            Img<FloatType> in = crop(src, dims, tile);
            Img<FloatType> out = f.apply(in);
            if (out == null || !Arrays.equals(tdims, Intervals.dimensionsAsLongArray(out))) {
                throw new IllegalStateException("the tile function returned "
                        + (out == null ? "null" : Arrays.toString(Intervals.dimensionsAsLongArray(out)))
                        + " for a tile of size " + Arrays.toString(tdims));
            }
            accumulate(acc, dims, tile, FloatImages.data(out), norm);
            done++;
            if (progress != null) {
                progress.tileDone(done, tiles.size());
            }
        }
        float[] result = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            result[i] = (float) acc[i];
        }
        return FloatImages.wrap(result, dims);
    }

    /** A copy of one tile of a flat x-fastest image. */
    private static Img<FloatType> crop(float[] src, long[] dims, Interval tile) {
        int nd = dims.length;
        int tw = (int) tile.dimension(0);
        int th = (int) tile.dimension(1);
        int td = nd == 3 ? (int) tile.dimension(2) : 1;
        int width = (int) dims[0];
        int plane = width * (int) dims[1];
        float[] out = new float[tw * th * td];
        int j = 0;
        for (int z = 0; z < td; z++) {
            int zz = nd == 3 ? (int) tile.min(2) + z : 0;
            for (int y = 0; y < th; y++) {
                System.arraycopy(src, zz * plane + ((int) tile.min(1) + y) * width + (int) tile.min(0), out, j, tw);
                j += tw;
            }
        }
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(tile));
    }

    /** The 1D weights of tile k (of the tiles starting at s) along axis d. */
    private double[] weights(long[] s, int k, long size, long n, int d) {
        double[] w = new double[(int) size];
        Arrays.fill(w, 1.0);
        long o = at(overlap, d);
        if (o == 0) {
            return w;
        }
        boolean rampIn = k > 0;
        boolean rampOut = k < s.length - 1;
        if (crop) {
            for (int i = 0; i < o / 2 && i < size; i++) {
                if (rampIn) {
                    w[i] = 0;
                }
                if (rampOut) {
                    w[(int) (size - 1 - i)] = 0;
                }
            }
            return w;
        }
        for (int i = 0; i < o && i < size; i++) {
            double r = 0.5 - 0.5 * Math.cos(Math.PI * (i + 0.5) / o);
            if (rampIn) {
                w[i] = Math.min(w[i], r);
            }
            if (rampOut) {
                w[(int) (size - 1 - i)] = Math.min(w[(int) (size - 1 - i)], r);
            }
        }
        return w;
    }

    private void accumulate(double[] acc, long[] dims, Interval tile, float[] values, double[][] norm) {
        int nd = dims.length;
        // Normalised 1D weights of this tile per axis.
        double[][] w = new double[nd][];
        for (int d = 0; d < nd; d++) {
            long[] s = starts(dims[d], d);
            int k = Arrays.binarySearch(s, tile.min(d));
            // Clamped last starts may repeat an earlier one only when there is one tile.
            double[] raw = weights(s, k, tile.dimension(d), dims[d], d);
            w[d] = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                w[d][i] = raw[i] / norm[d][(int) (tile.min(d) + i)];
            }
        }
        int tw = (int) tile.dimension(0);
        int th = (int) tile.dimension(1);
        int td = nd == 3 ? (int) tile.dimension(2) : 1;
        int x0 = (int) tile.min(0);
        int y0 = (int) tile.min(1);
        int z0 = nd == 3 ? (int) tile.min(2) : 0;
        int width = (int) dims[0];
        int plane = width * (int) dims[1];
        int j = 0;
        for (int z = 0; z < td; z++) {
            double wz = nd == 3 ? w[2][z] : 1.0;
            for (int y = 0; y < th; y++) {
                double wyz = wz * w[1][y];
                int base = (z0 + z) * plane + (y0 + y) * width + x0;
                for (int x = 0; x < tw; x++) {
                    acc[base + x] += wyz * w[0][x] * values[j++];
                }
            }
        }
    }
}
