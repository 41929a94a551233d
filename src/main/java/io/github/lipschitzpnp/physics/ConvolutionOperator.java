package io.github.lipschitzpnp.physics;

import java.util.Arrays;
import java.util.List;

import org.jtransforms.fft.FloatFFT_2D;
import org.jtransforms.fft.FloatFFT_3D;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Convolution with a point-spread function h, 2D or 3D, by FFT: {@code y(r) = sum_k h(k) x(r - k + c)}
 * with c = floor(psfSize / 2) the PSF centre, data of the image's size.
 *
 * <p>Boundaries: PERIODIC is the circular convolution on the image grid itself (transfer function H on
 * that grid). ZERO and REFLECTIVE extend the image by {@code k-1-c} pixels before and {@code c} after
 * each dimension (with zeros, or mirrored), embed the result in an FFT grid of at least
 * {@code n + k - 1} pixels rounded up to a 2,3,5-smooth length (so the circular convolution there is
 * the linear one), convolve and crop. So A = C F^-1 H F E with E the extension and C the crop, and
 * the adjoint is computed as exactly that transpose: A^T = E^T F^-1 conj(H) F C^T, where C^T embeds
 * the data in zeros and E^T crops (ZERO) or folds the mirrored border back onto the pixels it was
 * copied from, adding (REFLECTIVE).
 *
 * <p>Norm: PERIODIC gives max |H| exactly. ZERO and REFLECTIVE give a converged power-iteration
 * estimate (a lower bound, computed once on first call); for ZERO, {@link #transferFunctionMax()}
 * is a guaranteed upper bound.
 *
 * <p>FFT plans and the transfer function are computed once at construction and reused; apply and adjoint may be
 * called from several threads (the FFT calls on the shared plans are serialised).
 */
public final class ConvolutionOperator implements LinearOperator {

    private final long[] dims;
    private final int nd;
    private final Boundary boundary;
    private final List<String> warnings;
    private final int[] n = new int[3];
    private final int[] p = new int[3];
    private final int[] lo = new int[3];
    private final int[][] extMap = new int[3][];
    private final int total;
    private final float[] transfer; // H, interleaved complex on the FFT grid
    private final double hMax;
    private final boolean symmetricNonNegative;
    private final double extensionNorm;
    private final FloatFFT_2D fft2;
    private final FloatFFT_3D fft3;
    private volatile double normCache = -1;
    private final float[] psfData;
    private final long[] psfDims;

    /**
     * Checks the PSF with {@link PsfCheck} (errors thrown, warnings kept in {@link #warnings()}) and
     * builds the operator.
     *
     * @param psf PSF with the image's number of dimensions (2 or 3), centred at floor(size/2)
     * @param imageDims image (and data) dimensions, x first
     * @param boundary boundary handling
     */
    public ConvolutionOperator(RandomAccessibleInterval<? extends RealType<?>> psf, long[] imageDims,
            Boundary boundary) {
        if (imageDims == null || imageDims.length < 2 || imageDims.length > 3) {
            throw new IllegalArgumentException("convolution: 2D or 3D image dimensions expected, got "
                    + Arrays.toString(imageDims));
        }
        if (boundary == null) {
            throw new IllegalArgumentException("convolution: boundary is null; choose PERIODIC, ZERO or REFLECTIVE");
        }
        Dims.count(imageDims, "convolution");
        PsfCheck.Result checked = PsfCheck.check(psf, imageDims);
        this.dims = imageDims.clone();
        this.nd = dims.length;
        this.boundary = boundary;
        this.warnings = checked.warnings();
        this.psfData = checked.psf().clone();
        this.psfDims = checked.dims().clone();
        int[] k = new int[] {1, 1, 1};
        for (int d = 0; d < 3; d++) {
            n[d] = d < nd ? (int) dims[d] : 1;
            k[d] = d < nd ? (int) checked.dims()[d] : 1;
        }
        long prod = 1;
        for (int d = 0; d < 3; d++) {
            int c = k[d] / 2;
            int before = k[d] - 1 - c;
            int after = c;
            if (boundary == Boundary.PERIODIC || d >= nd) {
                p[d] = n[d];
                lo[d] = 0;
                extMap[d] = new int[p[d]];
                for (int q = 0; q < p[d]; q++) {
                    extMap[d][q] = q;
                }
            } else {
                p[d] = FftSizes.nextSmooth(n[d] + k[d] - 1);
                lo[d] = before;
                int ext = before + n[d] + after;
                extMap[d] = new int[p[d]];
                for (int q = 0; q < p[d]; q++) {
                    int src = q - before;
                    if (boundary == Boundary.ZERO) {
                        extMap[d][q] = src >= 0 && src < n[d] ? src : -1;
                    } else {
                        extMap[d][q] = q < ext ? reflect(src, n[d]) : -1;
                    }
                }
            }
            prod *= p[d];
        }
        if (2 * prod > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("convolution: FFT grid " + Arrays.toString(p)
                    + " is too large for one array; tile the image");
        }
        this.total = (int) prod;
        FftThreads.useDaemonThreads();
        if (nd == 2) {
            fft2 = new FloatFFT_2D(p[1], p[0]);
            fft3 = null;
        } else {
            fft2 = null;
            fft3 = new FloatFFT_3D(p[2], p[1], p[0]);
        }
        // transfer function: PSF with its centre moved to the origin, wrapped around the FFT grid
        float[] h = new float[2 * total];
        float[] ps = checked.psf();
        int c0 = k[0] / 2, c1 = k[1] / 2, c2 = k[2] / 2;
        for (int z = 0; z < k[2]; z++) {
            int qz = Math.floorMod(z - c2, p[2]);
            for (int y = 0; y < k[1]; y++) {
                int qy = Math.floorMod(y - c1, p[1]);
                for (int x = 0; x < k[0]; x++) {
                    int qx = Math.floorMod(x - c0, p[0]);
                    h[(qz * p[1] + qy) * p[0] + qx] += ps[(z * k[1] + y) * k[0] + x];
                }
            }
        }
        realForwardFull(h);
        this.transfer = h;
        double m = 0;
        for (int i = 0; i < total; i++) {
            double re = h[2 * i], im = h[2 * i + 1];
            m = Math.max(m, re * re + im * im);
        }
        this.hMax = Math.sqrt(m);
        this.symmetricNonNegative = isSymmetricNonNegative(ps, k);
        // ||E||^2 = the largest number of grid positions any pixel is copied to (E^T E is diagonal)
        int[][] copies = new int[3][];
        for (int d = 0; d < 3; d++) {
            copies[d] = new int[n[d]];
            for (int src : extMap[d]) {
                if (src >= 0) {
                    copies[d][src]++;
                }
            }
        }
        this.extensionNorm = Math.sqrt((double) max(copies[0]) * max(copies[1]) * max(copies[2]));
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Odd sizes, no negative value, and h unchanged by flipping any axis about the centre. */
    private static boolean isSymmetricNonNegative(float[] h, int[] k) {
        float peak = 0;
        for (float v : h) {
            if (v < 0) {
                return false;
            }
            peak = Math.max(peak, v);
        }
        if (k[0] % 2 == 0 || k[1] % 2 == 0 || k[2] % 2 == 0) {
            return false;
        }
        float tol = 1e-6f * peak;
        for (int z = 0; z < k[2]; z++) {
            for (int y = 0; y < k[1]; y++) {
                for (int x = 0; x < k[0]; x++) {
                    float v = h[(z * k[1] + y) * k[0] + x];
                    if (Math.abs(v - h[(z * k[1] + y) * k[0] + (k[0] - 1 - x)]) > tol
                            || Math.abs(v - h[(z * k[1] + (k[1] - 1 - y)) * k[0] + x]) > tol
                            || Math.abs(v - h[((k[2] - 1 - z) * k[1] + y) * k[0] + x]) > tol) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Half-sample symmetric reflection of index i into [0, n). */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    private synchronized void realForwardFull(float[] a) {
        if (fft2 != null) {
            fft2.realForwardFull(a);
        } else {
            fft3.realForwardFull(a);
        }
    }

    private synchronized void complexInverse(float[] a) {
        if (fft2 != null) {
            fft2.complexInverse(a, true);
        } else {
            fft3.complexInverse(a, true);
        }
    }

    /** Warnings raised by the PSF check (negative values, normalisation); empty when the PSF was clean. */
    public List<String> warnings() {
        return warnings;
    }

    public Boundary boundary() {
        return boundary;
    }

    /** The FFT grid used (x, y[, z]); equals the image size for PERIODIC. */
    public int[] fftSize() {
        return Arrays.copyOf(p, nd);
    }

    /**
     * max |H| over the FFT grid: the exact norm for PERIODIC, an upper bound of the norm for ZERO.
     */
    public double transferFunctionMax() {
        return hMax;
    }

    @Override
    public long[] domainDimensions() {
        return dims.clone();
    }

    @Override
    public long[] rangeDimensions() {
        return dims.clone();
    }

    /**
     * The image extended to the padded grid (identity, zeros or mirror, per the boundary) in the
     * first half of a buffer of {@code 2 * total} floats, as real input for the FFT.
     */
    private float[] extended(float[] in) {
        float[] buf = new float[2 * total];
        for (int qz = 0; qz < p[2]; qz++) {
            int sz = extMap[2][qz];
            if (sz < 0) {
                continue;
            }
            for (int qy = 0; qy < p[1]; qy++) {
                int sy = extMap[1][qy];
                if (sy < 0) {
                    continue;
                }
                int srow = (sz * n[1] + sy) * n[0];
                int drow = (qz * p[1] + qy) * p[0];
                int[] mx = extMap[0];
                for (int qx = 0; qx < p[0]; qx++) {
                    int sx = mx[qx];
                    if (sx >= 0) {
                        buf[drow + qx] = in[srow + sx];
                    }
                }
            }
        }
        return buf;
    }

    @Override
    public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
        Dims.require(x, dims, "image", describe());
        float[] in = FloatImages.data(x);
        // E: extend (identity, zeros or mirror) into the first half, as real input for the FFT
        float[] buf = extended(in);
        filter(buf, false);
        // C: crop
        float[] out = new float[n[0] * n[1] * n[2]];
        for (int z = 0; z < n[2]; z++) {
            for (int y = 0; y < n[1]; y++) {
                int srow = ((z + lo[2]) * p[1] + y + lo[1]) * p[0] + lo[0];
                int drow = (z * n[1] + y) * n[0];
                for (int xx = 0; xx < n[0]; xx++) {
                    out[drow + xx] = buf[2 * (srow + xx)];
                }
            }
        }
        return FloatImages.wrap(out, dims);
    }

    @Override
    public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
        Dims.require(y, dims, "data", describe() + " adjoint");
        float[] in = FloatImages.data(y);
        float[] buf = new float[2 * total];
        // C^T: embed the data in zeros
        for (int z = 0; z < n[2]; z++) {
            for (int yy = 0; yy < n[1]; yy++) {
                int drow = ((z + lo[2]) * p[1] + yy + lo[1]) * p[0] + lo[0];
                int srow = (z * n[1] + yy) * n[0];
                System.arraycopy(in, srow, buf, drow, n[0]);
            }
        }
        filter(buf, true);
        // E^T: crop, or fold mirrored copies back onto their source pixels
        float[] out = new float[n[0] * n[1] * n[2]];
        for (int qz = 0; qz < p[2]; qz++) {
            int sz = extMap[2][qz];
            if (sz < 0) {
                continue;
            }
            for (int qy = 0; qy < p[1]; qy++) {
                int sy = extMap[1][qy];
                if (sy < 0) {
                    continue;
                }
                int drow = (sz * n[1] + sy) * n[0];
                int srow = (qz * p[1] + qy) * p[0];
                int[] mx = extMap[0];
                for (int qx = 0; qx < p[0]; qx++) {
                    int sx = mx[qx];
                    if (sx >= 0) {
                        out[drow + sx] += buf[2 * (srow + qx)];
                    }
                }
            }
        }
        return FloatImages.wrap(out, dims);
    }

    /**
     * buf holds a real image in its first half; on return it holds F^-1 (H or conj H) F of it as
     * interleaved complex numbers (real parts at even indices).
     */
    private void filter(float[] buf, boolean conjugate) {
        realForwardFull(buf);
        float[] h = transfer;
        float sign = conjugate ? -1f : 1f;
        for (int i = 0; i < 2 * total; i += 2) {
            float ar = buf[i], ai = buf[i + 1];
            float hr = h[i], hi = sign * h[i + 1];
            buf[i] = ar * hr - ai * hi;
            buf[i + 1] = ar * hi + ai * hr;
        }
        complexInverse(buf);
    }

    /** The PSF as checked and used (a copy). */
    public Img<FloatType> psf() {
        return FloatImages.wrap(psfData.clone(), psfDims.clone());
    }

    /**
     * Wiener deconvolution of data {@code y}: {@code x = F^-1 [conj(H) / (|H|^2 + nsr)] F y}, one
     * Fourier filter. PERIODIC: on the image grid, exactly the Tikhonov solution
     * {@code (A^T A + nsr I)^-1 A^T y}. REFLECTIVE: on the half-sample mirror extension of the data
     * to twice the size along every axis (the grid a cosine transform works on), cropped back; for a
     * PSF that is symmetric under every axis flip this is again exactly the Tikhonov solution of
     * this operator, otherwise an approximation. ZERO: the data is zero-padded onto this operator's
     * FFT grid, filtered there as if periodic and cropped back (an approximation near the borders).
     * The input is not modified.
     *
     * @param nsr noise-to-signal power ratio, > 0 (-> 0: the plain inverse filter, ill-posed where
     *            H is small)
     */
    public Img<FloatType> wiener(RandomAccessibleInterval<FloatType> y, double nsr) {
        if (!(nsr > 0) || Double.isInfinite(nsr)) {
            throw new IllegalArgumentException("Wiener: the noise-to-signal ratio must be positive and finite, got "
                    + nsr);
        }
        Dims.require(y, dims, "data", describe() + " Wiener filter");
        if (boundary == Boundary.REFLECTIVE) {
            return mirroredWiener(y, nsr);
        }
        float[] in = FloatImages.data(y);
        float[] buf = extended(in);
        realForwardFull(buf);
        float[] h = transfer;
        for (int i = 0; i < 2 * total; i += 2) {
            double ar = buf[i], ai = buf[i + 1];
            double hr = h[i], hi = -h[i + 1];
            double g = 1.0 / (hr * hr + hi * hi + nsr);
            buf[i] = (float) ((ar * hr - ai * hi) * g);
            buf[i + 1] = (float) ((ar * hi + ai * hr) * g);
        }
        complexInverse(buf);
        float[] out = new float[n[0] * n[1] * n[2]];
        for (int z = 0; z < n[2]; z++) {
            for (int yy = 0; yy < n[1]; yy++) {
                int srow = ((z + lo[2]) * p[1] + yy + lo[1]) * p[0] + lo[0];
                int drow = (z * n[1] + yy) * n[0];
                for (int xx = 0; xx < n[0]; xx++) {
                    out[drow + xx] = buf[2 * (srow + xx)];
                }
            }
        }
        return FloatImages.wrap(out, dims);
    }

    private Img<FloatType> mirroredWiener(RandomAccessibleInterval<FloatType> y, double nsr) {
        float[] in = FloatImages.data(y);
        long[] big = new long[nd];
        int[] m = new int[] {1, 1, 1};
        for (int d = 0; d < nd; d++) {
            big[d] = 2 * dims[d];
            m[d] = (int) big[d];
        }
        float[] ext = new float[m[0] * m[1] * m[2]];
        for (int z = 0; z < m[2]; z++) {
            int sz = reflect(z, n[2]);
            for (int yy = 0; yy < m[1]; yy++) {
                int sy = reflect(yy, n[1]);
                int drow = (z * m[1] + yy) * m[0];
                int srow = (sz * n[1] + sy) * n[0];
                for (int xx = 0; xx < m[0]; xx++) {
                    ext[drow + xx] = in[srow + reflect(xx, n[0])];
                }
            }
        }
        float[] filtered = FloatImages.data(new ConvolutionOperator(psf(), big, Boundary.PERIODIC)
                .wiener(FloatImages.wrap(ext, big), nsr));
        float[] out = new float[n[0] * n[1] * n[2]];
        for (int z = 0; z < n[2]; z++) {
            for (int yy = 0; yy < n[1]; yy++) {
                System.arraycopy(filtered, (z * m[1] + yy) * m[0], out, (z * n[1] + yy) * n[0], n[0]);
            }
        }
        return FloatImages.wrap(out, dims);
    }

    /**
     * ||A||: PERIODIC max |H| (exact); REFLECTIVE with a symmetric (under every axis flip), odd-sized,
     * non-negative PSF exactly 1 (a cosine transform diagonalises A, its largest eigenvalue is the
     * PSF sum, taken by constant images); otherwise a power-iteration estimate (a lower bound, at most
     * 100 iterations, computed once). See {@link #normUpperBound()} for a guaranteed bound.
     */
    @Override
    public double norm() {
        if (boundary == Boundary.PERIODIC) {
            return hMax;
        }
        if (boundary == Boundary.REFLECTIVE && symmetricNonNegative) {
            return 1.0;
        }
        double v = normCache;
        if (v < 0) {
            v = PowerIteration.run(this, 100, 12345L, 1e-6).norm();
            normCache = v;
        }
        return v;
    }

    /**
     * A guaranteed upper bound of ||A|| without iterating, for step sizes: PERIODIC and ZERO max |H|
     * (||C F^-1 H F E|| &lt;= ||H||_inf when E embeds and C crops); REFLECTIVE 1 for a symmetric
     * non-negative PSF, else max |H| ||E|| with ||E|| the square root of the largest number of copies
     * the mirror extension makes of one pixel.
     */
    public double normUpperBound() {
        switch (boundary) {
            case PERIODIC:
            case ZERO:
                return hMax;
            default:
                return symmetricNonNegative ? 1.0 : hMax * extensionNorm;
        }
    }

    @Override
    public String describe() {
        return "convolution " + nd + "D (" + boundary.name().toLowerCase() + ")";
    }

    /** Whether the PSF has no negative value (PSFs with negatives are accepted with a warning). */
    @Override
    public boolean hasNonNegativeEntries() {
        for (float v : psfData) {
            if (v < 0) {
                return false;
            }
        }
        return true;
    }
}
