package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * Tikhonov regularisation {@code min 1/2||A x - y||^2 + lambda/2 ||x||^2}, solved by conjugate
 * gradients on {@code (A^T A + lambda I) x = A^T y}, one CG step per iteration. Convex quadratic:
 * the objective decreases monotonically and CG reaches the unique minimiser (lambda > 0) in at most
 * n steps in exact arithmetic. Default lambda = 1e-2 ||A||^2; initial guess A^T y / ||A||^2 unless
 * the problem gives one.
 */
public final class Tikhonov extends IterativeSolver<Tikhonov> {

    /**
     * CG step lengths ||x_{k+1} - x_k|| may legitimately grow for a while, so only NaN/Inf trips the
     * divergence guard by default; {@link #divergenceGuard(int, double)} switches the growth test back on.
     */
    public Tikhonov() {
        divergenceGuard(Integer.MAX_VALUE, 1);
    }

    private double lambda = Double.NaN;

    /** lambda >= 0 (0 = plain least squares, needs an injective A); NaN (default) = 1e-2 ||A||^2. */
    public Tikhonov regularization(double lambda) {
        if (!Double.isNaN(lambda) && !(lambda >= 0)) {
            throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
        return this;
    }

    @Override
    public String describe() {
        return "Tikhonov by CG (" + (Double.isNaN(lambda) ? "lambda=1e-2 ||A||^2" : "lambda=" + Certificates.fmt(lambda))
                + ")";
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double lam = Double.isNaN(lambda) ? 1e-2 * a.norm() * a.norm() : lambda;
        float[] y = p.dataArray();
        double yy = Vec.dot(y, y);
        float[] b = Flat.adjoint(a, y);
        float[] x0 = initialGuess(p);
        float[] r0 = b.clone();
        Vec.axpy(-1, ConjugateGradient.normalApply(a, x0, lam), r0);
        return new Run() {
            final float[] x = x0;
            final float[] r = r0;
            final float[] dir = r0.clone();
            double rr = Vec.dot(r0, r0);

            @Override
            public double step() {
                if (rr == 0) {
                    return 0;
                }
                float[] q = ConjugateGradient.normalApply(a, dir, lam);
                double pq = Vec.dot(dir, q);
                if (!(pq > 0)) {
                    return 0; // exact solution reached within rounding (or A^T A + lambda I singular)
                }
                double alpha = rr / pq;
                double moved = Math.abs(alpha) * Vec.norm(dir); // ||x_{k+1} - x_k||
                Vec.axpy(alpha, dir, x);
                Vec.axpy(-alpha, q, r);
                double rrNew = Vec.dot(r, r);
                Vec.axpby(1, r, rrNew / rr, dir);
                rr = rrNew;
                return moved;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public double objective() {
                // 1/2 x^T M x - b^T x + 1/2 y^T y with M x = b - r
                return 0.5 * yy - 0.5 * Vec.dot(x, b) - 0.5 * Vec.dot(x, r);
            }

            @Override
            public String guarantee() {
                return "convex quadratic (lambda = " + Certificates.fmt(lam) + "): conjugate gradients decrease the "
                        + "objective monotonically and reach the minimiser in at most n steps in exact arithmetic";
            }
        };
    }
}
