package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * SIRT: {@code x+ = x + omega C A^T R (y - A x)} with R = 1 / A(1) (inverse row sums) and
 * C = 1 / A^T(1) (inverse column sums), entries whose sum is not positive set to 0; optionally
 * projected onto x >= 0. For a matrix with non-negative entries (projections, blurs) and omega in
 * (0, 2) it converges to the minimiser of the R-weighted misfit ||A x - y||_R^2 in the C^{-1}
 * metric (closest to x0), and that misfit decreases monotonically. Defaults: omega = 1, no
 * constraint, start from the problem's initial guess, else zero.
 */
public final class Sirt extends IterativeSolver<Sirt> {

    private double omega = 1;
    private boolean nonNegative;

    /** Relaxation omega in (0, 2) (default 1). */
    public Sirt relaxation(double omega) {
        if (!(omega > 0 && omega < 2)) {
            throw new IllegalArgumentException("SIRT relaxation must be in (0, 2), got " + omega);
        }
        this.omega = omega;
        return this;
    }

    /** Project onto x >= 0 after each step (default off). */
    public Sirt nonNegative(boolean on) {
        this.nonNegative = on;
        return this;
    }

    @Override
    public String describe() {
        return "SIRT (omega=" + Certificates.fmt(omega) + (nonNegative ? ", x >= 0" : "") + ")";
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        float[] y = p.dataArray();
        int n = (int) Cgls.count(p.domain());
        int m = y.length;
        float[] rowW = invert(Flat.apply(a, Vec.filled(n, 1f)));
        float[] colW = invert(Flat.adjoint(a, Vec.filled(m, 1f)));
        float[] x0 = p.initialArray() != null ? p.initialArray().clone() : new float[n];
        if (nonNegative) {
            Vec.clampNonNegative(x0);
        }
        return new Run() {
            float[] x = x0;
            float[] ax = Flat.apply(a, x0);

            @Override
            public double step() {
                float[] res = y.clone();
                Vec.axpy(-1, ax, res);
                for (int i = 0; i < m; i++) {
                    res[i] *= rowW[i];
                }
                float[] back = Flat.adjoint(a, res);
                float[] next = x.clone();
                for (int j = 0; j < n; j++) {
                    next[j] += (float) omega * colW[j] * back[j];
                }
                if (nonNegative) {
                    Vec.clampNonNegative(next);
                }
                double r = Vec.distance(next, x);
                x = next;
                ax = Flat.apply(a, x);
                return r;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public double objective() {
                double d = Vec.distance(ax, y);
                return 0.5 * d * d;
            }

            @Override
            public String guarantee() {
                return "SIRT with omega = " + Certificates.fmt(omega) + " in (0, 2): for an operator with non-negative "
                        + "entries it converges to a weighted least-squares solution" + (nonNegative
                                ? " of the non-negativity-constrained problem (projected Landweber in the weighted metric)"
                                : "") + "; the objective recorded is the unweighted 1/2||A x - y||^2";
            }
        };
    }

    private static float[] invert(float[] sums) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] = sums[i] > 0 ? 1 / sums[i] : 0;
        }
        return sums;
    }
}
