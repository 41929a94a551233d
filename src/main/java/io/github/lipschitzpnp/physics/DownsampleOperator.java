package io.github.lipschitzpnp.physics;

import java.util.Arrays;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Block averaging by an integer factor f in every dimension (2D or 3D): each data pixel is the mean
 * of an f x f (x f) block. The adjoint spreads each data value evenly, divided by f^d, over its block.
 * A A^T = f^-d I, so ||A|| = f^(-d/2) exactly. Image dimensions must be multiples of f.
 */
public final class DownsampleOperator implements LinearOperator {

    private final long[] dims;
    private final long[] small;
    private final int factor;
    private final int nx, ny, nz, sx, sy, sz;
    private final float weight;

    /**
     * @param imageDims dimensions of the high-resolution image (2 or 3 dimensions, x first)
     * @param factor integer block size, at least 1
     */
    public DownsampleOperator(long[] imageDims, int factor) {
        if (imageDims == null || imageDims.length < 2 || imageDims.length > 3) {
            throw new IllegalArgumentException("downsample: 2D or 3D image dimensions expected, got "
                    + Arrays.toString(imageDims));
        }
        if (factor < 1) {
            throw new IllegalArgumentException("downsample: factor must be at least 1, got " + factor);
        }
        Dims.count(imageDims, "downsample");
        for (long d : imageDims) {
            if (d % factor != 0) {
                throw new IllegalArgumentException("downsample: image dimensions " + Arrays.toString(imageDims)
                        + " are not multiples of the factor " + factor + "; crop or pad the image first");
            }
        }
        this.dims = imageDims.clone();
        this.factor = factor;
        this.small = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            small[d] = dims[d] / factor;
        }
        nx = (int) dims[0];
        ny = (int) dims[1];
        nz = dims.length == 3 ? (int) dims[2] : 1;
        sx = nx / factor;
        sy = ny / factor;
        sz = dims.length == 3 ? nz / factor : 1;
        weight = (float) (1.0 / Math.pow(factor, dims.length));
    }

    public int factor() {
        return factor;
    }

    @Override
    public long[] domainDimensions() {
        return dims.clone();
    }

    @Override
    public long[] rangeDimensions() {
        return small.clone();
    }

    private int fz() {
        return dims.length == 3 ? factor : 1;
    }

    @Override
    public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
        Dims.require(x, dims, "image", "downsample");
        float[] in = FloatImages.data(x);
        float[] out = new float[sx * sy * sz];
        int f = factor;
        int fz = fz();
        for (int z = 0; z < nz; z++) {
            int oz = z / fz;
            for (int y = 0; y < ny; y++) {
                int orow = (oz * sy + y / f) * sx;
                int irow = (z * ny + y) * nx;
                for (int xx = 0; xx < nx; xx++) {
                    out[orow + xx / f] += in[irow + xx];
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] *= weight;
        }
        return FloatImages.wrap(out, small);
    }

    @Override
    public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
        Dims.require(y, small, "data", "downsample");
        float[] in = FloatImages.data(y);
        float[] out = new float[nx * ny * nz];
        int f = factor;
        int fz = fz();
        for (int z = 0; z < nz; z++) {
            int oz = z / fz;
            for (int yy = 0; yy < ny; yy++) {
                int srow = (oz * sy + yy / f) * sx;
                int orow = (z * ny + yy) * nx;
                for (int xx = 0; xx < nx; xx++) {
                    out[orow + xx] = in[srow + xx / f] * weight;
                }
            }
        }
        return FloatImages.wrap(out, dims);
    }

    @Override
    public double norm() {
        return Math.pow(factor, -dims.length / 2.0);
    }

    @Override
    public String describe() {
        return "downsample " + dims.length + "D by " + factor + " (block average)";
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasNonNegativeEntries() {
        return true;
    }
}
