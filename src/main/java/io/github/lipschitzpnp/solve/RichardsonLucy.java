package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * Richardson-Lucy (EM for Poisson data): {@code x+ = x / A^T(1) * A^T(y / A x)}, for operators with
 * non-negative entries (blurs) and data y >= 0. Keeps x >= 0; the Poisson negative log-likelihood
 * sum(A x - y log A x) decreases monotonically. Starts from the problem's initial guess (must be
 * > 0), else from the constant image with the data's mean. The divisions are guarded by
 * {@code epsilon} (default 1e-12). No regularisation: stop early on noisy data.
 */
public final class RichardsonLucy extends IterativeSolver<RichardsonLucy> {

    private double epsilon = 1e-12;

    public RichardsonLucy epsilon(double eps) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0");
        }
        this.epsilon = eps;
        return this;
    }

    @Override
    public String describe() {
        return "Richardson-Lucy";
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        float[] y = p.dataArray();
        for (float v : y) {
            if (v < 0) {
                throw new IllegalArgumentException("Richardson-Lucy needs non-negative data; found " + v
                        + " (offset or clip the data first)");
            }
        }
        int n = (int) Cgls.count(p.domain());
        float[] x0;
        if (p.initialArray() != null) {
            x0 = p.initialArray().clone();
            for (float v : x0) {
                if (!(v > 0)) {
                    throw new IllegalArgumentException("Richardson-Lucy needs a positive initial guess; found " + v);
                }
            }
        } else {
            x0 = Vec.filled(n, (float) Math.max(Vec.sum(y) / y.length, epsilon));
        }
        float[] norm = Flat.adjoint(a, Vec.filled(y.length, 1f));
        float eps = (float) epsilon;
        return new Run() {
            float[] x = x0;
            float[] ax = Flat.apply(a, x0);

            @Override
            public double step() {
                float[] ratio = new float[y.length];
                for (int i = 0; i < ratio.length; i++) {
                    ratio[i] = y[i] / Math.max(ax[i], eps);
                }
                float[] back = Flat.adjoint(a, ratio);
                float[] next = new float[n];
                for (int j = 0; j < n; j++) {
                    next[j] = norm[j] > 0 ? x[j] * back[j] / norm[j] : 0;
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
                double s = 0;
                for (int i = 0; i < y.length; i++) {
                    double m = Math.max(ax[i], eps);
                    s += m - (y[i] > 0 ? y[i] * Math.log(m) : 0);
                }
                return s;
            }

            @Override
            public String guarantee() {
                return "EM for Poisson data: x stays >= 0 and the negative log-likelihood sum(A x - y log A x) is "
                        + "non-increasing, for an operator with non-negative entries";
            }
        };
    }
}
