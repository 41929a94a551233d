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
 * a side are processed in overlapping tiles (a convolutional network's receptive field is
 * {@code depth * (kernel - 1) + ...} pixels, so an overlap of that size keeps seams invisible).
 * Each call frees its native memory before returning. Thread-safe: calls are serialised.
 */
public final class NetworkDenoiser implements Denoiser {

    private final DenoiserModel model;
    private final long tileSide;
    private final long overlap;

    public NetworkDenoiser(DenoiserModel model) {
        this(model, 512);
    }

    public NetworkDenoiser(DenoiserModel model, long tileSide) {
        this.model = model;
        this.tileSide = tileSide;
        ModelSpec.Architecture a = model.spec().architecture();
        // Receptive radius: two convolutions per block plus lift and projection.
        long radius = (long) (2 * a.depth() + 2) * (a.kernel() / 2);
        this.overlap = Math.min(tileSide / 3, 2 * radius + 4);
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
        long[] side = new long[dims];
        for (int d = 0; d < dims; d++) {
            side[d] = balancedTileSide(x.dimension(d), tileSide, overlap);
        }
        return new Tiling(side, new long[] {overlap}).apply(x, this::apply);
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

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "1-Lipschitz ResNet '%s' (certified %.4f, trained for sigma %.4f)",
                model.spec().name(), lipschitzBound(), model.noiseSigma());
    }
}
