package io.github.lipschitzpnp.physics;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.github.lipschitzpnp.image.FloatImages;

/**
 * Power iteration on A^T A for the operator norm ||A||_2. Each estimate is ||A x_k|| for a unit
 * vector x_k, so every estimate is a lower bound of the norm, and (in exact arithmetic) the sequence
 * never decreases: Rayleigh quotients of a positive semi-definite matrix along power iterates are
 * non-decreasing. Use a margin on top when a guaranteed upper bound is needed.
 */
public final class PowerIteration {

    /** All estimates, in iteration order, and the last one. */
    public record Result(double norm, double[] history) {
    }

    private PowerIteration() {
    }

    /** The norm estimate after {@code iters} iterations from a seeded random start. */
    public static double norm(LinearOperator op, int iters, long seed) {
        return run(op, iters, seed, 0.0).norm();
    }

    /**
     * Runs at most {@code maxIters} iterations and stops early once the relative change of the
     * estimate falls below {@code tol} (0 runs all of them).
     */
    public static Result run(LinearOperator op, int maxIters, long seed, double tol) {
        if (maxIters < 1) {
            throw new IllegalArgumentException("power iteration: at least one iteration needed, got " + maxIters);
        }
        long[] dom = op.domainDimensions();
        float[] x = Adjointness.gaussian(Dims.count(dom, op.describe()), new SplittableRandom(seed));
        scale(x, 1.0 / Dims.norm(x));
        double[] hist = new double[maxIters];
        int k = 0;
        double prev = -1;
        for (; k < maxIters; k++) {
            float[] ax = FloatImages.data(op.apply(FloatImages.wrap(x, dom)));
            double est = Dims.norm(ax); // ||A x|| with ||x|| = 1
            hist[k] = est;
            float[] atax = FloatImages.data(op.adjoint(FloatImages.wrap(ax, op.rangeDimensions())));
            double n = Dims.norm(atax);
            if (n == 0 || !Double.isFinite(n)) {
                k++;
                break;
            }
            x = atax.clone(); // never scale an array the operator might still own
            scale(x, 1.0 / n);
            if (tol > 0 && prev > 0 && Math.abs(est - prev) <= tol * est) {
                k++;
                break;
            }
            prev = est;
        }
        double[] h = Arrays.copyOf(hist, k);
        return new Result(h[k - 1], h);
    }

    private static void scale(float[] a, double s) {
        float f = (float) s;
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }
}
