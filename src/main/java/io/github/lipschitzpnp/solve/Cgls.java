package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * CGLS: conjugate gradients for least squares {@code min 1/2||A x - y||^2}, in the numerically
 * stable form that never forms A^T A. The misfit decreases monotonically; for an injective A it
 * reaches the least-squares solution in at most n steps in exact arithmetic; on ill-posed problems
 * the iteration count is the regulariser (semi-convergence: stop early). Starts from the problem's
 * initial guess, else from zero.
 */
public final class Cgls extends IterativeSolver<Cgls> {

    /**
     * CG step lengths ||x_{k+1} - x_k|| may legitimately grow for a while, so only NaN/Inf trips the
     * divergence guard by default; {@link #divergenceGuard(int, double)} switches the growth test back on.
     */
    public Cgls() {
        divergenceGuard(Integer.MAX_VALUE, 1);
    }

    @Override
    public String describe() {
        return "CGLS";
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        float[] y = p.dataArray();
        float[] x0 = p.initialArray() != null ? p.initialArray().clone() : new float[(int) count(p.domain())];
        float[] r0 = y.clone();
        Vec.axpy(-1, Flat.apply(a, x0), r0);
        return new Run() {
            final float[] x = x0;
            final float[] r = r0;
            final float[] s = Flat.adjoint(a, r0);
            final float[] dir = s.clone();
            double gamma = Vec.dot(s, s);

            @Override
            public double step() {
                if (gamma == 0) {
                    return 0;
                }
                float[] q = Flat.apply(a, dir);
                double qq = Vec.dot(q, q);
                if (!(qq > 0)) {
                    return 0;
                }
                double alpha = gamma / qq;
                double moved = Math.abs(alpha) * Vec.norm(dir);
                Vec.axpy(alpha, dir, x);
                Vec.axpy(-alpha, q, r);
                float[] sNew = Flat.adjoint(a, r);
                double gammaNew = Vec.dot(sNew, sNew);
                Vec.axpby(1, sNew, gammaNew / gamma, dir);
                gamma = gammaNew;
                return moved;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public double objective() {
                double n = Vec.norm(r);
                return 0.5 * n * n;
            }

            @Override
            public String guarantee() {
                return "least squares by conjugate gradients: the misfit ||A x - y|| decreases monotonically; for an "
                        + "injective A the exact solution is reached in at most n steps in exact arithmetic";
            }
        };
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
