package io.github.lipschitzpnp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lipschitzpnp.image.NDArrays;
import io.github.lipschitzpnp.image.Tiling;
import io.github.lipschitzpnp.solve.Denoiser;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A certified network as the prior step of a PnP solver. Images larger than {@code tileSide} on
 * a side are processed in overlapping tiles that keep only their interior: the network's receptive
 * radius is {@code (2 * depth + 2) * (kernel / 2)} pixels (lift, two convolutions per block,
 * projection), and a margin of that size makes the tiled result equal to the whole-image one up to
 * float rounding ({@link Tiling#cropping}). Tiles too small for that margin (only in tests) blend.
 * Each call frees its native memory before returning. Thread-safe: calls are serialised.
 */
public final class NetworkDenoiser implements Denoiser {

    private final DenoiserModel model;
    private final long tileSide;
    private final long margin;
    private final boolean exact;

    public NetworkDenoiser(DenoiserModel model) {
        this(model, 512);
    }

    public NetworkDenoiser(DenoiserModel model, long tileSide) {
        this.model = model;
        this.tileSide = tileSide;
        ModelSpec.Architecture a = model.spec().architecture();
        // Receptive radius: two convolutions per block plus lift and projection.
        this.margin = receptiveRadius(a);
        this.exact = tileSide > 4 * margin;
    }

    /**
     * How far an output pixel's value reaches into the input (lift, 2 convolutions per block,
     * projection); a coarse block's convolutions step over cells of 2 pixels, and a pixel's own
     * cell reaches 1 further.
     */
    public static long receptiveRadius(ModelSpec.Architecture a) {
        long r = a.cell();
        long fine = 2L * (a.depth() - a.coarseBlocks()) + 2;
        return (fine + r * 2L * a.coarseBlocks()) * (a.kernel() / 2) + (r - 1);
    }

    /** The overlap between neighbouring tiles. */
    long overlap() {
        return exact ? 2 * margin : Math.min(tileSide / 3, 2 * margin + 4);
    }

    public DenoiserModel model() {
        return model;
    }

    @Override
    public synchronized Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        int dims = x.numDimensions();
        if (dims != model.spec().architecture().spatialDims()) {
            throw new IllegalArgumentException("model '" + model.spec().name() + "' is for "
                    + model.spec().architecture().spatialDims() + "D images, this image is " + dims + "D");
        }
        boolean small = true;
        for (int d = 0; d < dims; d++) {
            small &= x.dimension(d) <= tileSide;
        }
        if (small) {
            return apply(x);
        }
        return tiling(net.imglib2.util.Intervals.dimensionsAsLongArray(x)).apply(x, this::apply);
    }

    /** The number of network calls (tiles) for an image of these dimensions. */
    public int tileCount(long... dims) {
        return tiling(dims).tileCount(dims);
    }

    private Tiling tiling(long[] dims) {
        long overlap = overlap();
        long[] side = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            side[d] = balancedTileSide(dims[d], tileSide, overlap);
        }
        int cell = model.spec().architecture().cell();
        return exact ? Tiling.cropping(side, margin, cell) : new Tiling(side, new long[] {overlap}, cell);
    }

    /**
     * The tile side along an axis of length {@code n}: as many tiles as a side of {@code max}
     * needs, each made just large enough to cover the axis with the given overlap. Tiles of the
     * full {@code max} would leave the last one mostly overlapping its neighbour (1024 pixels in
     * tiles of 512 with overlap 20: 3 tiles of 512, 1536 pixels of work; balanced: 3 of 355, 1065).
     * Axes no longer than {@code max} keep {@code max} (one tile).
     */
    static long balancedTileSide(long n, long max, long overlap) {
        if (n <= max) {
            return max; // one tile of the whole axis (Tiling clips it), whatever the overlap
        }
        long step = max - overlap;
        long count = (n - overlap + step - 1) / step;
        return Math.min(max, (n - overlap + count - 1) / count + overlap);
    }

    private Img<FloatType> apply(RandomAccessibleInterval<FloatType> tile) {
        try (NDManager sub = model.manager().newSubManager()) {
            NDArray in = NDArrays.toNDArray(tile, sub);
            NDArray out = model.network().apply(in);
            return NDArrays.toImg(out);
        }
    }

    @Override
    public double lipschitzBound() {
        return model.certificate().certifiedBound();
    }

    /**
     * The network's identity-mix weight {@code a} ({@code D = (1 - a) I + a N}) when the rest,
     * N, is certified non-expansive, i.e. when the certified bound {@code (1 - a) + a L_N} shows
     * {@code L_N <= 1 + 1e-3}; else 1.
     */
    @Override
    public double averagedness() {
        double a = model.network().mixWeight();
        double rest = (lipschitzBound() - (1 - a)) / a;
        return a > 0 && a < 1 && rest <= 1 + io.github.lipschitzpnp.solve.Certificates.TOLERANCE ? a : 1;
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "1-Lipschitz ResNet '%s' (certified %.4f, trained for sigma %.4f)",
                model.spec().name(), lipschitzBound(), model.noiseSigma());
    }
}
