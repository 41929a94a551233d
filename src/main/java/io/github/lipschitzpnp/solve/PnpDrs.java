package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Objects;

/**
 * PnP Douglas-Rachford splitting: {@code w = P(z)}, {@code x = prox_{f/rho}(2 w - z)},
 * {@code z+ = z + lambda (x - w)}, where P is the denoiser step. The image returned is x.
 * <p>The guarantee needs a firmly non-expansive P: with a certified non-expansive D the solver uses
 * D~ = (I + D)/2 (see {@link Averaging}). Then z -> z + (prox(2P(z) - z) - P(z)) is firmly
 * non-expansive, and with lambda in (0, 2) the residual ||z_{k+1} - z_k|| never increases.
 * <p>Defaults: rho = ||A||^2, lambda = 1, averaging AUTO, conjugate gradients for the data step.
 * With lambda = 1 this is the same iteration as {@link PnpAdmm}.
 */
public final class PnpDrs extends IterativeSolver<PnpDrs> {

    private final Denoiser denoiser;
    private double rho = Double.NaN;
    private double lambda = 1;
    private Averaging averaging = Averaging.AUTO;
    private NormalSolver normalSolver = new ConjugateGradient();

    public PnpDrs(Denoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    /** The penalty rho > 0 of the data prox; NaN (default) means ||A||^2. */
    public PnpDrs penalty(double rho) {
        if (!Double.isNaN(rho) && !(rho > 0)) {
            throw new IllegalArgumentException("penalty must be > 0, got " + rho);
        }
        this.rho = rho;
        return this;
    }

    /** Relaxation lambda in (0, 2) (default 1). */
    public PnpDrs relaxation(double lambda) {
        if (!(lambda > 0 && lambda < 2)) {
            throw new IllegalArgumentException("relaxation must be in (0, 2), got " + lambda);
        }
        this.lambda = lambda;
        return this;
    }

    public PnpDrs averaging(Averaging a) {
        this.averaging = Objects.requireNonNull(a);
        return this;
    }

    public PnpDrs normalSolver(NormalSolver s) {
        this.normalSolver = Objects.requireNonNull(s);
        return this;
    }

    static boolean useAveraged(Averaging averaging, Denoiser d) {
        return averaging == Averaging.ALWAYS
                || ((averaging == Averaging.AUTO || averaging == Averaging.CERTIFIED) && Certificates.isNonExpansive(d));
    }

    /** The prior step DRS and ADMM run: D, (I + D)/2, or with CERTIFIED I + (D - I)/(2 alpha). */
    static Denoiser priorStep(Averaging averaging, Denoiser d) {
        if (!useAveraged(averaging, d)) {
            return d;
        }
        return averaging == Averaging.CERTIFIED ? AveragedDenoiser.certified(d) : new AveragedDenoiser(d);
    }

    static String guarantee(String name, Denoiser d, Denoiser step, NormalSolver s) {
        boolean averaged = step != d;
        if (!Certificates.isNonExpansive(d)) {
            return "none: the denoiser has " + Certificates.describeBound(d) + " <= 1, so the " + name
                    + " operator may be expansive; watch the residual";
        }
        if (!averaged) {
            return "none proven: D is non-expansive but not firmly non-expansive; " + name
                    + " needs D~ = (I + D)/2 (averaging was switched off)";
        }
        double c = ((AveragedDenoiser) step).step();
        String p = c == 0.5 ? "D~ = (I + D)/2" : String.format(java.util.Locale.ROOT, "P = I + %.4g (D - I) (D certified "
                + "%.4g-averaged, so P is 1/2-averaged)", c, d.averagedness());
        return name + " with the firmly non-expansive " + p + " (denoiser " + Certificates.describeBound(d)
                + ") and the firmly non-expansive data prox: the " + name + " operator is firmly non-expansive, so the "
                + "residual is non-increasing and the iterates converge to a fixed point whenever one exists (assumed); "
                + "the data prox is solved by " + s.describe() + ", tightened to an error of at most "
                + NormalSolver.RESIDUAL_FRACTION + " x the last residual; exact only up to that";
    }

    @Override
    public String describe() {
        return "PnP-DRS (" + (Double.isNaN(rho) ? "rho=||A||^2" : "rho=" + Certificates.fmt(rho)) + ", lambda="
                + Certificates.fmt(lambda) + ", averaging " + averaging + ", data prox by " + normalSolver.describe()
                + ") with " + denoiser.describe();
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double r0 = Double.isNaN(rho) ? a.norm() * a.norm() : rho;
        Denoiser step = priorStep(averaging, denoiser);
        float[] aty = Flat.adjoint(a, p.dataArray());
        long[] dims = p.domain();
        float[] z0 = initialGuess(p);
        String guarantee = guarantee("DRS", denoiser, step, normalSolver)
                + (lambda != 1 ? " (relaxation lambda = " + Certificates.fmt(lambda) + " in (0, 2))" : "");
        return new Run() {
            float[] z = z0;
            float[] x = z0;
            double last = Double.POSITIVE_INFINITY;

            @Override
            public double step() {
                float[] w = Flat.denoise(step, z, dims);
                float[] b = Vec.combination(2 * r0, w, -r0, z);
                Vec.axpy(1, aty, b); // A^T y + rho (2w - z)
                x = normalSolver.solve(a, b, r0, x, NormalSolver.RESIDUAL_FRACTION * r0 * last);
                float[] next = z.clone();
                Vec.axpy(lambda, x, next);
                Vec.axpy(-lambda, w, next);
                double r = Vec.distance(next, z);
                z = next;
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
