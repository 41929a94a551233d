package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.image.FloatImages;
import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A quick estimate of white Gaussian noise in an image, used to pick a default denoiser: the median
 * absolute value of the orthonormal Haar diagonal detail {@code (a - b - c + d) / 2} over all
 * non-overlapping 2x2 blocks of every plane, divided by 0.6745 (Donoho's MAD rule). Image content
 * leaks into the detail band, so on textured images it overestimates; blur lowers it.
 */
public final class NoiseLevel {

    private NoiseLevel() {
    }

    /** The estimated noise standard deviation in the image's units (0 for images under 2x2). */
    public static double estimate(RandomAccessibleInterval<FloatType> image) {
        return estimate(image, null);
    }

    /**
     * The estimate on the image's own min..max scale mapped to [0, 1], the scale a model's training
     * sigma refers to, at least 1e-3: what picks the default bundled denoiser
     * ({@code BundledModels.closestTo}) in every front end. {@code mask} as below (null = all).
     */
    public static double estimateNormalized(RandomAccessibleInterval<FloatType> image,
            RandomAccessibleInterval<FloatType> mask) {
        return Math.max(io.github.lipschitzpnp.image.Scaling.minMax(image).normalizeSigma(estimate(image, mask)), 1e-3);
    }

    /**
     * As {@link #estimate(RandomAccessibleInterval)}, using only the 2x2 blocks whose four pixels
     * are observed ({@code mask} nonzero; null = all); 0 when no block is.
     */
    public static double estimate(RandomAccessibleInterval<FloatType> image, RandomAccessibleInterval<FloatType> mask) {
        float[] x = FloatImages.data(image);
        float[] m = mask == null ? null : FloatImages.data(mask);
        long w = image.dimension(0);
        long h = image.numDimensions() > 1 ? image.dimension(1) : 1;
        long planes = x.length / (w * h);
        int bw = (int) (w / 2);
        int bh = (int) (h / 2);
        if (bw == 0 || bh == 0) {
            return 0;
        }
        double[] d = new double[(int) (bw * (long) bh * planes)];
        int k = 0;
        for (long p = 0; p < planes; p++) {
            for (int j = 0; j < bh; j++) {
                for (int i = 0; i < bw; i++) {
                    long base = p * w * h + (2L * j) * w + 2L * i;
                    if (m != null && (m[(int) base] == 0 || m[(int) base + 1] == 0 || m[(int) (base + w)] == 0
                            || m[(int) (base + w + 1)] == 0)) {
                        continue;
                    }
                    double a = x[(int) base];
                    double b = x[(int) base + 1];
                    double c = x[(int) (base + w)];
                    double e = x[(int) (base + w + 1)];
                    d[k++] = Math.abs(a - b - c + e) / 2;
                }
            }
        }
        if (k == 0) {
            return 0;
        }
        d = Arrays.copyOf(d, k);
        Arrays.sort(d);
        double median = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        return median / 0.6745;
    }
}
