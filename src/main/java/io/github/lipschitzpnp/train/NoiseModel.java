package io.github.lipschitzpnp.train;

import java.util.SplittableRandom;

/**
 * The noise a denoiser is trained for, on the [0, 1] intensity scale: additive Gaussian with a
 * fixed sigma or a sigma drawn uniformly per patch from a range, or Poisson-Gaussian (photon
 * counts with {@code peak} photons at intensity 1, plus Gaussian read noise).
 */
public record NoiseModel(Kind kind, double sigmaMin, double sigmaMax, double peak) {

    public enum Kind { GAUSSIAN, POISSON_GAUSSIAN }

    public NoiseModel {
        if (!(sigmaMin >= 0 && sigmaMax >= sigmaMin)) {
            throw new IllegalArgumentException("noise sigma range [" + sigmaMin + ", " + sigmaMax + "] is invalid");
        }
        if (kind == Kind.POISSON_GAUSSIAN && !(peak > 0)) {
            throw new IllegalArgumentException("Poisson noise needs a positive photon peak");
        }
    }

    public static NoiseModel gaussian(double sigma) {
        return new NoiseModel(Kind.GAUSSIAN, sigma, sigma, 0);
    }

    public static NoiseModel gaussianRange(double sigmaMin, double sigmaMax) {
        return new NoiseModel(Kind.GAUSSIAN, sigmaMin, sigmaMax, 0);
    }

    public static NoiseModel poissonGaussian(double peak, double sigma) {
        return new NoiseModel(Kind.POISSON_GAUSSIAN, sigma, sigma, peak);
    }

    /** Adds noise to {@code patches} patch by patch ({@code patchPixels} each) into {@code noisy}. */
    public void apply(float[] clean, float[] noisy, int patchPixels, SplittableRandom random) {
        for (int start = 0; start < clean.length; start += patchPixels) {
            double sigma = sigmaMin == sigmaMax ? sigmaMin : sigmaMin + (sigmaMax - sigmaMin) * random.nextDouble();
            for (int i = start; i < start + patchPixels; i++) {
                double v = clean[i];
                if (kind == Kind.POISSON_GAUSSIAN) {
                    v = poisson(Math.max(0, v) * peak, random) / peak;
                }
                noisy[i] = (float) (v + sigma * gaussian(random));
            }
        }
    }

    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double poisson(double mean, SplittableRandom random) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    public String describe() {
        if (kind == Kind.POISSON_GAUSSIAN) {
            return String.format("Poisson-Gaussian (peak %.0f photons, read sigma %.4f)", peak, sigmaMin);
        }
        return sigmaMin == sigmaMax ? String.format("Gaussian sigma %.4f (%.1f/255)", sigmaMin, sigmaMin * 255)
                : String.format("Gaussian sigma in [%.4f, %.4f]", sigmaMin, sigmaMax);
    }
}
