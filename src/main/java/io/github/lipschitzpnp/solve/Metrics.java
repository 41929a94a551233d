package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/**
 * Image quality against a reference: PSNR, and SSIM computed as scikit-image's
 * {@code structural_similarity(x, ref, data_range=R, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False)} does (K1 = 0.01, K2 = 0.03, Gaussian window truncated at 3.5
 * sigma, mirror boundary 'reflect', mean over the interior that is at least 5 pixels from every
 * border). 2D and 3D (any dimension) images; the filter runs along every axis.
 */
public final class Metrics {

    /** Gaussian window parameters of skimage's gaussian_weights=True mode. */
    public static final double SSIM_SIGMA = 1.5;
    public static final double SSIM_K1 = 0.01;
    public static final double SSIM_K2 = 0.03;
    private static final double TRUNCATE = 3.5;

    private Metrics() {
    }

    /** PSNR in dB with the data range taken from the reference (its max - min). */
    public static double psnr(RandomAccessibleInterval<? extends RealType<?>> x,
            RandomAccessibleInterval<? extends RealType<?>> reference) {
        float[] ref = FloatImages.data(reference);
        return psnr(FloatImages.data(checkSame(x, reference)), ref, range(ref));
    }

    /** PSNR = 10 log10(range^2 / MSE) in dB; +Infinity for identical images. */
    public static double psnr(RandomAccessibleInterval<? extends RealType<?>> x,
            RandomAccessibleInterval<? extends RealType<?>> reference, double dataRange) {
        return psnr(FloatImages.data(checkSame(x, reference)), FloatImages.data(reference), dataRange);
    }

    /** SSIM with the data range taken from the reference (its max - min). */
    public static double ssim(RandomAccessibleInterval<? extends RealType<?>> x,
            RandomAccessibleInterval<? extends RealType<?>> reference) {
        float[] ref = FloatImages.data(reference);
        return ssim(FloatImages.data(checkSame(x, reference)), ref, Intervals.dimensionsAsLongArray(reference),
                range(ref));
    }

    /** Mean SSIM (Gaussian window, sigma 1.5) for the given data range. */
    public static double ssim(RandomAccessibleInterval<? extends RealType<?>> x,
            RandomAccessibleInterval<? extends RealType<?>> reference, double dataRange) {
        return ssim(FloatImages.data(checkSame(x, reference)), FloatImages.data(reference),
                Intervals.dimensionsAsLongArray(reference), dataRange);
    }

    static double psnr(float[] x, float[] ref, double dataRange) {
        double mse = Vec.distance(x, ref);
        return psnrOfMse(mse * mse / x.length, dataRange);
    }

    /**
     * PSNR in dB from a mean squared error, {@code 10 log10(range^2 / mse)}: for an image assembled
     * from parts, the mean of their squared errors and the range of the whole reference.
     */
    public static double psnrOfMse(double mse, double dataRange) {
        checkRange(dataRange);
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * The squared error of an image against its reference, kept as sums so that the parts of a
     * larger image (the slices of a volume, computed one at a time or on different machines) give
     * the PSNR of the whole: {@code sum} of squared differences over {@code count} pixels and the
     * reference's min and max. {@link #psnr()} equals {@link Metrics#psnr} of the assembled image.
     */
    public record SquaredError(double sum, long count, double refMin, double refMax) implements java.io.Serializable {

        /** No pixels yet: the start of a sum of parts. */
        public static final SquaredError NONE = new SquaredError(0, 0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY);

        /** The squared error of {@code x} against {@code reference} (same dimensions). */
        public static SquaredError of(RandomAccessibleInterval<? extends RealType<?>> x,
                RandomAccessibleInterval<? extends RealType<?>> reference) {
            float[] ref = FloatImages.data(reference);
            float[] v = FloatImages.data(checkSame(x, reference));
            double d = Vec.distance(v, ref);
            float[] lohi = minMax(ref);
            return new SquaredError(d * d, v.length, lohi[0], lohi[1]);
        }

        /** The error of both parts together. */
        public SquaredError plus(SquaredError other) {
            return new SquaredError(sum + other.sum, count + other.count, Math.min(refMin, other.refMin),
                    Math.max(refMax, other.refMax));
        }

        /** PSNR in dB of the mean squared error with the reference's whole range. */
        public double psnr() {
            if (count == 0) {
                throw new IllegalStateException("no pixels: PSNR of nothing");
            }
            return psnrOfMse(sum / count, refMax - refMin);
        }
    }

    static double ssim(float[] x, float[] ref, long[] dims, double dataRange) {
        checkRange(dataRange);
        int radius = (int) (TRUNCATE * SSIM_SIGMA + 0.5);
        int win = 2 * radius + 1;
        for (long d : dims) {
            if (d < win) {
                throw new IllegalArgumentException("SSIM needs every side >= " + win + " pixels, got "
                        + Arrays.toString(dims));
            }
        }
        int n = x.length;
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] uxx = new double[n];
        double[] uyy = new double[n];
        double[] uxy = new double[n];
        for (int i = 0; i < n; i++) {
            double a = x[i];
            double b = ref[i];
            ux[i] = a;
            uy[i] = b;
            uxx[i] = a * a;
            uyy[i] = b * b;
            uxy[i] = a * b;
        }
        double[] kernel = gaussianKernel(SSIM_SIGMA, radius);
        for (double[] img : new double[][] {ux, uy, uxx, uyy, uxy}) {
            for (int axis = 0; axis < dims.length; axis++) {
                filterAxis(img, dims, axis, kernel);
            }
        }
        double c1 = Math.pow(SSIM_K1 * dataRange, 2);
        double c2 = Math.pow(SSIM_K2 * dataRange, 2);
        double sum = 0;
        long count = 0;
        int[] pos = new int[dims.length];
        for (int i = 0; i < n; i++) {
            boolean inside = true;
            for (int d = 0; d < dims.length; d++) {
                if (pos[d] < radius || pos[d] >= dims[d] - radius) {
                    inside = false;
                    break;
                }
            }
            if (inside) {
                double vx = uxx[i] - ux[i] * ux[i];
                double vy = uyy[i] - uy[i] * uy[i];
                double vxy = uxy[i] - ux[i] * uy[i];
                double num = (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2);
                double den = (ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2);
                sum += num / den;
                count++;
            }
            for (int d = 0; d < dims.length; d++) {
                if (++pos[d] < dims[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        return sum / count;
    }

    /** max - min of the values. */
    static double range(float[] v) {
        float[] lohi = minMax(v);
        return (double) lohi[1] - lohi[0];
    }

    /** {min, max} of the values. */
    private static float[] minMax(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return new float[] {lo, hi};
    }

    private static double[] gaussianKernel(double sigma, int radius) {
        double[] k = new double[2 * radius + 1];
        double s = 0;
        for (int j = -radius; j <= radius; j++) {
            k[j + radius] = Math.exp(-0.5 * j * j / (sigma * sigma));
            s += k[j + radius];
        }
        for (int j = 0; j < k.length; j++) {
            k[j] /= s;
        }
        return k;
    }

    /** In-place correlation along one axis with half-sample mirror boundary (d c b a | a b c d). */
    private static void filterAxis(double[] img, long[] dims, int axis, double[] kernel) {
        int len = (int) dims[axis];
        int stride = 1;
        for (int d = 0; d < axis; d++) {
            stride *= (int) dims[d];
        }
        int radius = kernel.length / 2;
        int[] src = new int[len + 2 * radius];
        for (int j = -radius; j < len + radius; j++) {
            int m = Math.floorMod(j, 2 * len);
            src[j + radius] = m < len ? m : 2 * len - 1 - m;
        }
        double[] line = new double[len];
        int n = img.length;
        int block = stride * len;
        for (int base = 0; base < n; base += block) {
            for (int off = 0; off < stride; off++) {
                int start = base + off;
                for (int i = 0; i < len; i++) {
                    line[i] = img[start + i * stride];
                }
                for (int i = 0; i < len; i++) {
                    double acc = 0;
                    for (int t = 0; t < kernel.length; t++) {
                        acc += kernel[t] * line[src[i + t]];
                    }
                    img[start + i * stride] = acc;
                }
            }
        }
    }

    private static void checkRange(double dataRange) {
        if (!(dataRange > 0) || !Double.isFinite(dataRange)) {
            throw new IllegalArgumentException("data range must be positive and finite, got " + dataRange);
        }
    }

    private static <T extends RandomAccessibleInterval<?>> T checkSame(T x, RandomAccessibleInterval<?> ref) {
        if (!Arrays.equals(Intervals.dimensionsAsLongArray(x), Intervals.dimensionsAsLongArray(ref))) {
            throw new IllegalArgumentException("image dimensions " + Arrays.toString(Intervals.dimensionsAsLongArray(x))
                    + " differ from the reference's " + Arrays.toString(Intervals.dimensionsAsLongArray(ref)));
        }
        return x;
    }
}
