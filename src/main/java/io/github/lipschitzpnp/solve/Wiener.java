package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * Wiener deconvolution, the one-shot classical baseline: {@code x = F^-1 [conj(H) / (|H|^2 + nsr)] F y}
 * with H the PSF's transfer function ({@link ConvolutionOperator#wiener}). With a PERIODIC
 * convolution, and with a REFLECTIVE one and a PSF symmetric under every axis flip (filtered on the
 * mirror-extended data), it is exactly the Tikhonov solution {@code (A^T A + nsr I)^-1 A^T y};
 * with ZERO boundaries (zero-padded, filtered as periodic) it is an approximation near the borders.
 * Only convolution operators are accepted.
 *
 * <p>It runs as an {@link IterativeSolver} of a single iteration, so it fits the shared loop,
 * listeners and reports: the run starts at the closed-form result, iteration 1 returns it unchanged
 * with residual 0, and the solver stops CONVERGED after one iteration.
 * Default noise-to-signal ratio 0.01.
 */
public final class Wiener extends IterativeSolver<Wiener> {

    private double nsr = 0.01;

    /** The noise-to-signal power ratio nsr > 0 (the Tikhonov weight lambda of the periodic case). */
    public Wiener noiseToSignal(double nsr) {
        if (!(nsr > 0) || Double.isInfinite(nsr)) {
            throw new IllegalArgumentException("the Wiener noise-to-signal ratio must be positive and finite, got "
                    + nsr);
        }
        this.nsr = nsr;
        return this;
    }

    @Override
    public String describe() {
        return "Wiener (nsr=" + Certificates.fmt(nsr) + ")";
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        if (!(a instanceof ConvolutionOperator)) {
            throw new IllegalArgumentException("Wiener filtering needs a convolution (deconvolution); got "
                    + a.describe() + ": choose another method");
        }
        ConvolutionOperator conv = (ConvolutionOperator) a;
        float[] x = FloatImages.data(conv.wiener(p.data(), nsr)).clone();
        boolean exact = conv.boundary() != Boundary.ZERO;
        return new Run() {
            @Override
            public double step() {
                return 0;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public double objective() {
                float[] ax = Flat.apply(a, x);
                double d = Vec.distance(ax, p.dataArray());
                double xx = Vec.dot(x, x);
                return 0.5 * d * d + 0.5 * nsr * xx;
            }

            @Override
            public String guarantee() {
                return exact ? "closed form: the minimiser of 1/2||Ax - y||^2 + nsr/2 ||x||^2 (exact for a periodic "
                        + "convolution, and for a reflective one with a symmetric PSF; nsr = " + Certificates.fmt(nsr) + ")"
                        : "closed form on the zero-padded FFT grid: approximately the Tikhonov minimiser, nsr = "
                        + Certificates.fmt(nsr);
            }
        };
    }
}
