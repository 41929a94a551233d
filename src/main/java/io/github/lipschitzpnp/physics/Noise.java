package io.github.lipschitzpnp.physics;

import java.util.SplittableRandom;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * Seeded noise models for simulated acquisitions. Every method returns a new image and never
 * modifies its input; the same seed gives the same noise.
 */
public final class Noise {

    private Noise() {
    }

    /** y = x + sigma n, n standard normal; sigma in the image's units (sigma 0 gives a copy). */
    public static Img<FloatType> gaussian(RandomAccessibleInterval<FloatType> x, double sigma, long seed) {
        requireNonNegative(sigma, "sigma");
        float[] in = FloatImages.data(x);
        float[] out = new float[in.length];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] + sigma * rnd.nextGaussian());
        }
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(x));
    }

    /**
     * Photon noise: y = P(photons * x) / photons with P a Poisson draw, so y has the image's scale and
     * mean x; {@code photons} is the number of photons that an image value of 1 collects (larger =
     * less noise). Negative values of x count as 0 photons.
     */
    public static Img<FloatType> poisson(RandomAccessibleInterval<FloatType> x, double photons, long seed) {
        return poissonGaussian(x, photons, 0, seed);
    }

    /** Mixed Poisson-Gaussian (photon noise plus read noise): poisson(x, photons) + sigma n. */
    public static Img<FloatType> poissonGaussian(RandomAccessibleInterval<FloatType> x, double photons,
            double sigma, long seed) {
        if (!(photons > 0) || !Double.isFinite(photons)) {
            throw new IllegalArgumentException("photon count scaling must be positive and finite, got " + photons);
        }
        requireNonNegative(sigma, "sigma");
        float[] in = FloatImages.data(x);
        float[] out = new float[in.length];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < in.length; i++) {
            double lambda = Math.max(0.0, (double) in[i] * photons);
            if (Double.isNaN(lambda)) {
                throw new IllegalArgumentException("image value at flat index " + i
                        + " is NaN; Poisson noise needs finite intensities");
            }
            double v = poissonSample(lambda, rnd) / photons;
            if (sigma > 0) {
                v += sigma * rnd.nextGaussian();
            }
            out[i] = (float) v;
        }
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(x));
    }

    /**
     * One Poisson draw of mean lambda: inversion by sequential search for lambda &lt; 10, Hoermann's
     * transformed rejection with squeeze (PTRS, 1993) above.
     */
    static long poissonSample(double lambda, SplittableRandom rnd) {
        if (lambda == 0) {
            return 0;
        }
        if (lambda < 10) {
            double u = rnd.nextDouble();
            double p = Math.exp(-lambda);
            double cdf = p;
            long k = 0;
            while (u > cdf && k < 1000) {
                k++;
                p *= lambda / k;
                cdf += p;
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rnd.nextDouble() - 0.5;
            double v = rnd.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    /** log(k!) exactly summed for small k, by Stirling's series (error below 1e-10) above. */
    static double logFactorial(long k) {
        if (k < 20) {
            double s = 0;
            for (long i = 2; i <= k; i++) {
                s += Math.log(i);
            }
            return s;
        }
        double x = k;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }

    private static void requireNonNegative(double v, String what) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be non-negative and finite, got " + v);
        }
    }
}
