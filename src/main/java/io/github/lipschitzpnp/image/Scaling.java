package io.github.lipschitzpnp.image;

import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * An affine intensity map that sends raw value {@code low} to 0 and {@code high} to 1, recorded so
 * that results computed on [0, 1] data can be returned in the input's units with
 * {@link #restore}. Values outside [low, high] are not clipped (they map outside [0, 1]).
 * Non-finite pixels are ignored when the parameters are measured.
 *
 * @param low raw value that maps to 0
 * @param high raw value that maps to 1; equal to {@code low} for a constant image, in which case
 *     the map is a plain shift ({@link #span()} is 1)
 */
public record Scaling(double low, double high) {

    public Scaling {
        if (!Double.isFinite(low) || !Double.isFinite(high) || high < low) {
            throw new IllegalArgumentException("need finite low <= high, got low=" + low + ", high=" + high);
        }
    }

    /** The identity map (low 0, high 1). */
    public static Scaling identity() {
        return new Scaling(0, 1);
    }

    /** A given raw range. */
    public static Scaling range(double low, double high) {
        return new Scaling(low, high);
    }

    /** The finite minimum and maximum of the image. An image with no finite pixel is refused. */
    public static Scaling minMax(RandomAccessibleInterval<? extends RealType<?>> img) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : FloatImages.data(img)) {
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
            // Infinities compare fine; recompute over finite values only.
            return percentiles(img, 0, 100);
        }
        return new Scaling(min, max);
    }

    /**
     * The {@code pLow} and {@code pHigh} percentiles (in percent, 0..100) of the finite pixels,
     * with linear interpolation between order statistics (numpy's default), e.g. (1, 99.8).
     */
    public static Scaling percentiles(RandomAccessibleInterval<? extends RealType<?>> img, double pLow,
            double pHigh) {
        if (!(pLow >= 0 && pLow <= pHigh && pHigh <= 100)) {
            throw new IllegalArgumentException("need 0 <= pLow <= pHigh <= 100, got " + pLow + ", " + pHigh);
        }
        float[] data = FloatImages.data(img);
        float[] finite = new float[data.length];
        int n = 0;
        for (float v : data) {
            if (Float.isFinite(v)) {
                finite[n++] = v;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("image of " + Intervals.numElements(img)
                    + " pixels has no finite value; cannot scale it");
        }
        Arrays.sort(finite, 0, n);
        return new Scaling(quantile(finite, n, pLow / 100), quantile(finite, n, pHigh / 100));
    }

    private static double quantile(float[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int i = (int) Math.floor(pos);
        if (i >= n - 1) {
            return sorted[n - 1];
        }
        double frac = pos - i;
        return sorted[i] + frac * ((double) sorted[i + 1] - sorted[i]);
    }

    /** {@code high - low}, or 1 when they are equal. */
    public double span() {
        return high > low ? high - low : 1.0;
    }

    /** Raw value to the [0, 1] scale. */
    public double normalize(double raw) {
        return (raw - low) / span();
    }

    /** [0, 1]-scale value back to raw units. */
    public double restore(double scaled) {
        return scaled * span() + low;
    }

    /** A noise level (or any difference) in raw units, expressed on the [0, 1] scale. */
    public double normalizeSigma(double rawSigma) {
        return rawSigma / span();
    }

    /** A new image on the [0, 1] scale. */
    public Img<FloatType> normalize(RandomAccessibleInterval<? extends RealType<?>> img) {
        float[] in = FloatImages.data(img);
        float[] out = new float[in.length];
        double s = span();
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) ((in[i] - low) / s);
        }
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(img));
    }

    /** A new image in raw units. */
    public Img<FloatType> restore(RandomAccessibleInterval<? extends RealType<?>> img) {
        float[] in = FloatImages.data(img);
        float[] out = new float[in.length];
        double s = span();
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] * s + low);
        }
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(img));
    }
}
