package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Objects;

/**
 * PnP half-quadratic splitting with Krasnoselskii-Mann relaxation:
 * {@code x = prox_{f/mu}(z) = (A^T A + mu I)^{-1}(A^T y + mu z)}, {@code z+ = (1 - alpha) z + alpha D(x)}.
 * <p>Defaults: mu = ||A||^2, alpha = 0.5, conjugate gradients for the data step. The prox is firmly
 * non-expansive, so with a certified non-expansive D the map z -> D(prox(z)) is non-expansive and
 * the relaxed iteration has a non-increasing residual ||z_{k+1} - z_k||. The image returned is z.
 */
public final class PnpHqs extends IterativeSolver<PnpHqs> {

    private final Denoiser denoiser;
    private double mu = Double.NaN;
    private double alpha = 0.5;
    private NormalSolver normalSolver = new ConjugateGradient();

    public PnpHqs(Denoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    /** The penalty mu > 0 of the data step; NaN (default) means ||A||^2. */
    public PnpHqs penalty(double mu) {
        if (!Double.isNaN(mu) && !(mu > 0)) {
            throw new IllegalArgumentException("penalty must be > 0, got " + mu);
        }
        this.mu = mu;
        return this;
    }

    /** KM relaxation in (0, 1] (default 0.5; 1 is not covered by the theorem). */
    public PnpHqs relaxation(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("relaxation must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
        return this;
    }

    /** The solver of (A^T A + mu I) x = b (default: conjugate gradients). */
    public PnpHqs normalSolver(NormalSolver s) {
        this.normalSolver = Objects.requireNonNull(s);
        return this;
    }

    @Override
    public String describe() {
        return "PnP-HQS (" + (Double.isNaN(mu) ? "mu=||A||^2" : "mu=" + Certificates.fmt(mu)) + ", alpha="
                + Certificates.fmt(alpha) + ", data step by " + normalSolver.describe() + ") with " + denoiser.describe();
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double m = Double.isNaN(mu) ? a.norm() * a.norm() : mu;
        float[] aty = Flat.adjoint(a, p.dataArray());
        long[] dims = p.domain();
        float[] z0 = initialGuess(p);
        String guarantee;
        if (!Certificates.isNonExpansive(denoiser)) {
            guarantee = "none: the denoiser has " + Certificates.describeBound(denoiser)
                    + " <= 1, so D o prox_{f/mu} may be expansive; watch the residual";
        } else if (alpha >= 1) {
            guarantee = "none proven: z -> D(prox_{f/mu}(z)) is non-expansive but the plain iteration (alpha = 1) is "
                    + "not covered";
        } else {
            guarantee = "Krasnoselskii-Mann iteration (alpha = " + Certificates.fmt(alpha) + ") of the non-expansive "
                    + "z -> D(prox_{f/mu}(z)) (prox firmly non-expansive, denoiser " + Certificates.describeBound(denoiser)
                    + "): ||z_{k+1} - z_k|| non-increasing, convergence to a fixed point whenever one exists (assumed); "
                    + "the data step is solved by " + normalSolver.describe() + ", exact only up to its tolerance";
        }
        return new Run() {
            float[] z = z0;
            float[] x = z0;

            @Override
            public double step() {
                float[] b = Vec.combination(1, aty, m, z);
                x = normalSolver.solve(a, b, m, x);
                float[] next = Flat.denoise(denoiser, x, dims);
                Vec.axpby(1 - alpha, z, alpha, next);
                double r = Vec.distance(next, z);
                z = next;
                return r;
            }

            @Override
            public float[] image() {
                return z;
            }

            @Override
            public String guarantee() {
                return guarantee;
            }
        };
    }
}
