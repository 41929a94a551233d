package io.github.lipschitzpnp.spark;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.pipeline.SliceWiseDenoiser;
import io.github.lipschitzpnp.solve.Denoiser;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Block-wise mode: one large 2D image or 3D volume split into blocks processed on the cluster.
 * Each block is a <em>core</em> (the part of the result it owns; cores tile the image without
 * overlap) grown by a <em>margin</em> on every side (clipped at the image's edges). An executor
 * processes the grown block and returns only its core; the driver pastes the cores together.
 *
 * <p>Denoising: with a margin of at least the network's receptive radius
 * ({@link #receptiveRadius}), every core pixel sees exactly the input an untiled pass would show
 * it, so the result equals the untiled network up to float rounding (and hence the local run,
 * which is untiled up to 512 pixels a side). Intensities are scaled by the whole image's min..max,
 * as locally. Volumes with a 2D model are processed plane by plane, so z gets no margin.
 *
 * <p>Deconvolution (PnP or classical): each grown block is solved on its own with the whole image's
 * scaling and the cores are kept. This is an approximation (the block's boundary condition is not
 * the image's); its error decays with the margin, which must be given explicitly (several PSF
 * widths). CT reconstruction does not split into image blocks and is refused.
 *
 * <p>The driver holds the input and the output; the blocks spread the work, not the memory.
 */
public final class BlockJob implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One grown block: where it lies, where its core lies, and its pixels (x fastest). */
    record Block(int index, long[] min, long[] dims, long[] coreMin, long[] coreDims, float[] data)
            implements Serializable {
    }

    /** An executor's answer: the core's pixels. */
    record Core(int index, float[] data) implements Serializable {
    }

    private final JobSpec spec;
    private final long[] coreSide;
    private final long[] margin;

    /**
     * @param coreSide core size per axis (x, y[, z]); one value applies to all axes
     * @param margin   margin per axis; one value applies to all spatial axes of the model (for a
     *                 volume with a 2D model, z gets 0)
     */
    public BlockJob(JobSpec spec, long[] coreSide, long[] margin) {
        if (spec.operation() == JobSpec.Operation.RECONSTRUCT) {
            throw new IllegalArgumentException("CT reconstruction cannot be split into image blocks: use batch mode "
                    + "(one task per sinogram)");
        }
        for (long c : coreSide) {
            if (c < 1) {
                throw new IllegalArgumentException("block size must be at least 1, got " + c);
            }
        }
        for (long m : margin) {
            if (m < 0) {
                throw new IllegalArgumentException("margin must be >= 0, got " + m);
            }
        }
        this.spec = spec;
        this.coreSide = coreSide.clone();
        this.margin = margin.clone();
    }

    /**
     * The receptive radius of a network: every 'same' convolution of kernel {@code k} widens it by
     * {@code k / 2}; a block has two (W and W^T), plus the lift and the projection.
     */
    public static long receptiveRadius(ModelSpec.Architecture a) {
        return io.github.lipschitzpnp.model.NetworkDenoiser.receptiveRadius(a);
    }

    private static long at(long[] a, int d) {
        return a.length == 1 ? a[0] : a[d];
    }

    /** The blocks' geometry (no pixels yet), x-blocks fastest. */
    static List<Block> plan(long[] dims, long[] coreSide, long[] margin) {
        int nd = dims.length;
        List<long[]> starts = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
            long c = Math.min(at(coreSide, d), dims[d]);
            long n = (dims[d] + c - 1) / c;
            long[] s = new long[(int) n];
            for (int i = 0; i < n; i++) {
                s[i] = i * c;
            }
            starts.add(s);
        }
        List<Block> out = new ArrayList<>();
        int[] idx = new int[nd];
        while (true) {
            long[] cMin = new long[nd];
            long[] cDims = new long[nd];
            long[] min = new long[nd];
            long[] bDims = new long[nd];
            for (int d = 0; d < nd; d++) {
                long c = Math.min(at(coreSide, d), dims[d]);
                cMin[d] = starts.get(d)[idx[d]];
                cDims[d] = Math.min(c, dims[d] - cMin[d]);
                long m = d < margin.length || margin.length == 1 ? at(margin, d) : 0;
                min[d] = Math.max(0, cMin[d] - m);
                bDims[d] = Math.min(dims[d], cMin[d] + cDims[d] + m) - min[d];
            }
            out.add(new Block(out.size(), min, bDims, cMin, cDims, null));
            int d = 0;
            while (d < nd && ++idx[d] == starts.get(d).length) {
                idx[d] = 0;
                d++;
            }
            if (d == nd) {
                return out;
            }
        }
    }

    /** Copies box {@code min..min+box} of a flat image into a new flat array, or back. */
    static void copyBox(float[] image, long[] dims, long[] min, long[] box, float[] boxData, boolean intoBox) {
        int w = (int) dims[0];
        int plane = w * (int) dims[1];
        int bw = (int) box[0];
        int bh = (int) box[1];
        int bd = dims.length == 3 ? (int) box[2] : 1;
        int z0 = dims.length == 3 ? (int) min[2] : 0;
        int j = 0;
        for (int z = 0; z < bd; z++) {
            for (int y = 0; y < bh; y++) {
                int i = (z0 + z) * plane + ((int) min[1] + y) * w + (int) min[0];
                if (intoBox) {
                    System.arraycopy(image, i, boxData, j, bw);
                } else {
                    System.arraycopy(boxData, j, image, i, bw);
                }
                j += bw;
            }
        }
    }

    /**
     * Runs the job on one image on the cluster, one task per block.
     *
     * @param model the model (may be null for classical deconvolution)
     */
    public Img<FloatType> run(JavaSparkContext sc, RandomAccessibleInterval<FloatType> image, ModelSource model)
            throws ModelFileException {
        int nd = image.numDimensions();
        if (nd != 2 && nd != 3) {
            throw new IllegalArgumentException("block-wise processing needs a 2D image or a 3D volume, got " + nd + "D");
        }
        if ((coreSide.length != 1 && coreSide.length != nd) || (margin.length != 1 && margin.length != nd)) {
            throw new IllegalArgumentException("block size / margin given for " + coreSide.length + " / "
                    + margin.length + " axes, the image has " + nd);
        }
        if (spec.needsModel() && model == null) {
            throw new IllegalArgumentException(spec.describe() + " needs a model");
        }
        long[] dims = Intervals.dimensionsAsLongArray(image);
        long[] m = margin;
        double trainedSigma = 0;
        int modelDims = nd;
        if (model != null && spec.needsModel()) {
            ModelSpec ms = model.archive().spec();
            trainedSigma = ms.noise().sigma();
            modelDims = ms.architecture().spatialDims();
        }
        if (margin.length == 1 && nd == 3 && modelDims == 2 && spec.operation() == JobSpec.Operation.DENOISE) {
            m = new long[] {margin[0], margin[0], 0}; // plane by plane: planes are independent
        }
        Scaling s = Scaling.minMax(image);
        double factor = spec.operation() == JobSpec.Operation.DENOISE && spec.noiseSigma() > 0 && trainedSigma > 0
                ? trainedSigma / s.normalizeSigma(spec.noiseSigma()) : 1;
        float[] src = FloatImages.data(image);
        List<Block> blocks = new ArrayList<>();
        long maxSide = 0;
        for (Block b : plan(dims, coreSide, m)) {
            float[] data = new float[Math.toIntExact(Intervals.numElements(b.dims()))];
            copyBox(src, dims, b.min(), b.dims(), data, true);
            blocks.add(new Block(b.index(), b.min(), b.dims(), b.coreMin(), b.coreDims(), data));
            for (long x : b.dims()) {
                maxSide = Math.max(maxSide, x);
            }
        }
        double low = s.low();
        double high = s.high();
        long side = maxSide;
        Broadcast<ModelSource> bm = model == null || !spec.needsModel() ? null : sc.broadcast(model);
        List<Core> cores;
        try {
            cores = sc.parallelize(blocks, blocks.size())
                    .map(b -> processBlock(b, bm == null ? null : bm.value(), low, high, factor, side)).collect();
        } finally {
            if (bm != null) {
                bm.destroy();
            }
        }
        float[] out = new float[src.length];
        for (Core c : cores) {
            Block b = blocks.get(c.index());
            copyBox(out, dims, b.coreMin(), b.coreDims(), c.data(), false);
        }
        return FloatImages.wrap(out, dims);
    }

    /** One task: process the grown block, keep the core. */
    Core processBlock(Block b, ModelSource model, double low, double high, double factor, long maxSide)
            throws ModelFileException {
        Scaling s = Scaling.range(low, high);
        Img<FloatType> block = FloatImages.wrap(b.data(), b.dims());
        Denoiser net = model == null ? null : ExecutorModels.untiled(model, maxSide);
        Img<FloatType> result;
        if (spec.operation() == JobSpec.Operation.DENOISE) {
            Denoiser d = SliceWiseDenoiser.forDimensions(net, b.dims().length);
            if (factor != 1) {
                d = new ScaledDenoiser(d, factor);
            }
            result = s.restore(d.denoise(s.normalize(block)));
        } else {
            ConvolutionOperator a = new ConvolutionOperator(
                    Reconstruction.normalised(FloatImages.wrap(spec.psf().clone(), spec.psfDims())), b.dims(),
                    spec.boundary());
            result = Reconstruction.solve(a, block, null, s, spec.settings(), net, null).image();
        }
        float[] r = FloatImages.data(result);
        long[] rel = new long[b.dims().length];
        for (int d = 0; d < rel.length; d++) {
            rel[d] = b.coreMin()[d] - b.min()[d];
        }
        float[] core = new float[Math.toIntExact(Intervals.numElements(b.coreDims()))];
        copyBox(r, b.dims(), rel, b.coreDims(), core, true);
        return new Core(b.index(), core);
    }

    /** The number of blocks an image of these dimensions is split into. */
    public int blockCount(long... dims) {
        return plan(dims, coreSide, margin).size();
    }

    @Override
    public String toString() {
        return spec.describe() + " in blocks of " + Arrays.toString(coreSide) + " with margin " + Arrays.toString(margin);
    }
}
