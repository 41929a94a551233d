package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.LinearOperator;

/** Operators and denoisers applied to flat arrays: the one bridge between solvers and ImgLib2. */
final class Flat {

    private Flat() {
    }

    static float[] apply(LinearOperator a, float[] x) {
        return FloatImages.data(a.apply(FloatImages.wrap(x, a.domainDimensions())));
    }

    static float[] adjoint(LinearOperator a, float[] y) {
        return FloatImages.data(a.adjoint(FloatImages.wrap(y, a.rangeDimensions())));
    }

    /** D(x) as an array the caller owns (copied if the denoiser handed back its input). */
    static float[] denoise(Denoiser d, float[] x, long[] dims) {
        float[] out = FloatImages.data(d.denoise(FloatImages.wrap(x, dims)));
        return out == x ? out.clone() : out;
    }

    /** A^T (A x - y). */
    static float[] gradient(LinearOperator a, float[] x, float[] y) {
        float[] r = apply(a, x);
        Vec.axpy(-1, y, r);
        return adjoint(a, r);
    }
}
