package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * D~ = (I + D) / 2. When D is non-expansive, D~ is firmly non-expansive (its reflection 2 D~ - I
 * is D), which is what DRS and ADMM need. Its Lipschitz bound is (1 + L_D) / 2.
 */
public final class AveragedDenoiser implements Denoiser {

    private final Denoiser inner;

    public AveragedDenoiser(Denoiser inner) {
        this.inner = java.util.Objects.requireNonNull(inner);
    }

    public Denoiser inner() {
        return inner;
    }

    @Override
    public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        float[] in = FloatImages.data(x); // read only
        float[] out = FloatImages.data(inner.denoise(x));
        if (out == in) {
            out = out.clone(); // an identity-like denoiser handed back its input
        }
        Vec.axpby(0.5, in, 0.5, out);
        return FloatImages.wrap(out, Intervals.dimensionsAsLongArray(x));
    }

    @Override
    public double lipschitzBound() {
        return (1 + inner.lipschitzBound()) / 2;
    }

    @Override
    public String describe() {
        return "(I + D)/2 of " + inner.describe();
    }
}
