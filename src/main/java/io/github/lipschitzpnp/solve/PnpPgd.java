package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Objects;

/**
 * PnP proximal gradient (forward-backward) with Krasnoselskii-Mann relaxation:
 * {@code x+ = (1 - alpha) x + alpha D(x - gamma A^T (A x - y))}.
 * <p>Defaults: gamma = 1 / ||A||^2 (must be in (0, 2 / ||A||^2]), alpha = 0.5 (must be in (0, 1]).
 * With a certified non-expansive D and alpha < 1 the residual ||x_{k+1} - x_k|| never increases and
 * x_k converges to a fixed point of T = D o (I - gamma grad f) whenever one exists.
 */
public final class PnpPgd extends IterativeSolver<PnpPgd> {

    private final Denoiser denoiser;
    private double gamma = Double.NaN;
    private double alpha = 0.5;

    public PnpPgd(Denoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    /** The data step gamma, in (0, 2 / ||A||^2]; NaN (default) means 1 / ||A||^2. */
    public PnpPgd stepSize(double gamma) {
        if (!Double.isNaN(gamma) && !(gamma > 0)) {
            throw new IllegalArgumentException("step size must be > 0, got " + gamma);
        }
        this.gamma = gamma;
        return this;
    }

    /** The KM relaxation alpha in (0, 1] (default 0.5; 1 = plain PnP-PGD, not covered by the theorem). */
    public PnpPgd relaxation(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("relaxation must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
        return this;
    }

    @Override
    public String describe() {
        return "PnP-PGD (" + (Double.isNaN(gamma) ? "gamma=1/||A||^2" : "gamma=" + Certificates.fmt(gamma))
                + ", alpha=" + Certificates.fmt(alpha) + ") with " + denoiser.describe();
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double lip = a.norm() * a.norm();
        double g = Double.isNaN(gamma) ? 1 / lip : gamma;
        if (g > 2 / lip * (1 + 1e-12)) {
            throw new IllegalArgumentException("step size " + Certificates.fmt(g) + " exceeds 2/||A||^2 = "
                    + Certificates.fmt(2 / lip) + ": the gradient step would be expansive");
        }
        float[] y = p.dataArray();
        long[] dims = p.domain();
        float[] x0 = initialGuess(p);
        String guarantee = guarantee(g, lip);
        return new Run() {
            float[] x = x0;

            @Override
            public double step() {
                float[] v = Flat.gradient(a, x, y);
                Vec.axpby(1, x, -g, v); // v = x - g grad
                float[] next = Flat.denoise(denoiser, v, dims);
                Vec.axpby(1 - alpha, x, alpha, next);
                double r = Vec.distance(next, x);
                x = next;
                return r;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public String guarantee() {
                return guarantee;
            }
        };
    }

    private String guarantee(double g, double lip) {
        String setting = "gamma = " + Certificates.fmt(g) + " <= 2/||A||^2 = " + Certificates.fmt(2 / lip)
                + ", alpha = " + Certificates.fmt(alpha) + ", denoiser has " + Certificates.describeBound(denoiser);
        if (!Certificates.isNonExpansive(denoiser)) {
            return "none: the denoiser is not certified non-expansive, so T = D o (I - gamma grad f) may be expansive ("
                    + setting + "); the residual and the divergence guard are the only safeguards";
        }
        if (alpha >= 1) {
            return "none proven: T = D o (I - gamma grad f) is non-expansive, but the plain iteration (alpha = 1) is not "
                    + "covered for a merely non-expansive T (" + setting + ")";
        }
        return "Krasnoselskii-Mann iteration of the non-expansive T = D o (I - gamma grad f) (" + setting
                + "): ||x_{k+1} - x_k|| is non-increasing and x_k converges to a fixed point of T whenever one exists"
                + " (existence is assumed, not proven, for a general denoiser)";
    }
}
