package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * P = I + c (D - I), the prior step of DRS and ADMM. With c = 1/2, D~ = (I + D)/2: when D is
 * non-expansive, D~ is firmly non-expansive (its reflection 2 D~ - I is D), which is what DRS and
 * ADMM need. When D is certified alpha-averaged ({@link Denoiser#averagedness()}: D = (1 - alpha) I
 * + alpha N, N non-expansive), P = (1 - c alpha) I + c alpha N is firmly non-expansive for every
 * c <= 1 / (2 alpha) ({@link #certified}).
 */
public final class AveragedDenoiser implements Denoiser {

    private final Denoiser inner;
    private final double c;

    /** (I + D)/2. */
    public AveragedDenoiser(Denoiser inner) {
        this(inner, 0.5);
    }

    private AveragedDenoiser(Denoiser inner, double c) {
        this.inner = java.util.Objects.requireNonNull(inner);
        this.c = c;
    }

    /**
     * I + (D - I) / (2 alpha) with alpha = D's certified averagedness: the strongest firmly
     * non-expansive step D's certificate allows ((I + D)/2 when alpha = 1).
     */
    public static AveragedDenoiser certified(Denoiser inner) {
        double alpha = inner.averagedness();
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("averagedness must be in (0, 1], got " + alpha + " from "
                    + inner.describe());
        }
        return new AveragedDenoiser(inner, 0.5 / alpha);
    }

    public Denoiser inner() {
        return inner;
    }

    /** The step c in I + c (D - I). */
    public double step() {
        return c;
    }

    @Override
    public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        float[] in = FloatImages.data(x); // read only
        float[] out = FloatImages.data(inner.denoise(x));
        if (out == in) {
            out = out.clone(); // an identity-like denoiser handed back its input
        }
        Vec.axpby(1 - c, in, c, out);
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(x));
    }

    /**
     * |1 - c alpha| + c alpha L_N, with L_N = (L_D - (1 - alpha)) / alpha the bound of D's
     * non-expansive part ((1 + L_D)/2 for c = 1/2 and alpha = 1).
     */
    @Override
    public double lipschitzBound() {
        double alpha = inner.averagedness();
        double rest = (inner.lipschitzBound() - (1 - alpha)) / alpha;
        return Math.abs(1 - c * alpha) + c * alpha * rest;
    }

    /** P = (1 - c alpha) I + c alpha N is (c alpha)-averaged (1/2 for {@link #certified}). */
    @Override
    public double averagedness() {
        return Math.min(1, c * inner.averagedness());
    }

    @Override
    public String describe() {
        return c == 0.5 ? "(I + D)/2 of " + inner.describe()
                : String.format(java.util.Locale.ROOT, "I + %.4g (D - I) of %s (certified %.4g-averaged)", c,
                        inner.describe(), inner.averagedness());
    }
}
