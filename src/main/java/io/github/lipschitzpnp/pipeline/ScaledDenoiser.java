package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.Denoiser;
import java.util.Locale;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * Adapts a denoiser trained for noise level {@code s0} to an image with noise level {@code s}:
 * {@code D'(x) = D(k x) / k} with {@code k = s0 / s}. Conjugating by a scaling keeps the Lipschitz
 * constant, so the certificate of D holds for D'.
 */
public final class ScaledDenoiser implements Denoiser {

    private final Denoiser inner;
    private final double factor;

    public ScaledDenoiser(Denoiser inner, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("noise scaling factor must be positive and finite, got " + factor);
        }
        this.inner = inner;
        this.factor = factor;
    }

    @Override
    public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        if (factor == 1) {
            return inner.denoise(x);
        }
        float[] in = FloatImages.data(x);
        float[] scaled = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            scaled[i] = (float) (in[i] * factor);
        }
        long[] dims = Intervals.dimensionsAsLongArray(x);
        float[] out = FloatImages.copyData(inner.denoise(FloatImages.wrap(scaled, dims)));
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (out[i] / factor);
        }
        return FloatImages.wrap(out, dims);
    }

    @Override
    public double lipschitzBound() {
        return inner.lipschitzBound();
    }

    /** Unchanged: x -> D(k x) / k is (1 - a) I + a N(k .)/k, and N(k .)/k is as non-expansive as N. */
    @Override
    public double averagedness() {
        return inner.averagedness();
    }

    @Override
    public String describe() {
        return factor == 1 ? inner.describe()
                : inner.describe() + String.format(Locale.ROOT, " with intensities scaled by %.4g", factor);
    }
}
