package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Objects;

/**
 * PnP ADMM (scaled form): {@code x = prox_{f/rho}(z - u)}, {@code z = P(x + u)}, {@code u += x - z},
 * with P the denoiser step (D~ = (I + D)/2 when D is certified, see {@link Averaging}). The image
 * returned is x.
 * <p>ADMM is Douglas-Rachford on {@code s = x + u}: s+ = s + prox(2P(s) - s) - P(s). The recorded
 * residual is ||s_{k+1} - s_k||, non-increasing when P and the prox are firmly non-expansive. The run
 * starts from s_0 = x0 with z_0 = P(s_0), u_0 = s_0 - z_0 (one extra denoiser call), so the guarantee
 * holds from the first iteration. Defaults: rho = ||A||^2, averaging AUTO, conjugate gradients.
 */
public final class PnpAdmm extends IterativeSolver<PnpAdmm> {

    private final Denoiser denoiser;
    private double rho = Double.NaN;
    private Averaging averaging = Averaging.AUTO;
    private NormalSolver normalSolver = new ConjugateGradient();

    public PnpAdmm(Denoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    /** The penalty rho > 0; NaN (default) means ||A||^2. */
    public PnpAdmm penalty(double rho) {
        if (!Double.isNaN(rho) && !(rho > 0)) {
            throw new IllegalArgumentException("penalty must be > 0, got " + rho);
        }
        this.rho = rho;
        return this;
    }

    public PnpAdmm averaging(Averaging a) {
        this.averaging = Objects.requireNonNull(a);
        return this;
    }

    public PnpAdmm normalSolver(NormalSolver s) {
        this.normalSolver = Objects.requireNonNull(s);
        return this;
    }

    @Override
    public String describe() {
        return "PnP-ADMM (" + (Double.isNaN(rho) ? "rho=||A||^2" : "rho=" + Certificates.fmt(rho)) + ", averaging "
                + averaging + ", data prox by " + normalSolver.describe() + ") with " + denoiser.describe();
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double r0 = Double.isNaN(rho) ? a.norm() * a.norm() : rho;
        Denoiser step = PnpDrs.priorStep(averaging, denoiser);
        float[] aty = Flat.adjoint(a, p.dataArray());
        long[] dims = p.domain();
        float[] s0 = initialGuess(p);
        float[] z0 = Flat.denoise(step, s0, dims);
        float[] u0 = Vec.difference(s0, z0);
        String guarantee = PnpDrs.guarantee("ADMM (DRS on s = x + u)", denoiser, step, normalSolver);
        return new Run() {
            float[] z = z0;
            float[] u = u0;
            float[] s = s0;
            float[] x = s0;
            double last = Double.POSITIVE_INFINITY;

            @Override
            public double step() {
                float[] v = Vec.difference(z, u);
                float[] b = Vec.combination(1, aty, r0, v);
                x = normalSolver.solve(a, b, r0, x, NormalSolver.RESIDUAL_FRACTION * r0 * last);
                float[] sNext = Vec.combination(1, x, 1, u);
                z = Flat.denoise(step, sNext, dims);
                u = Vec.difference(sNext, z);
                double r = Vec.distance(sNext, s);
                s = sNext;
                last = r;
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
}
