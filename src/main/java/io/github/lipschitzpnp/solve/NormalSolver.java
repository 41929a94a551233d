package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * Solves the regularised normal equations {@code (A^T A + rho I) x = b}, the data-fidelity
 * proximal step of ADMM, DRS and HQS: {@code prox_{f/rho}(v) = (A^T A + rho I)^{-1}(A^T y + rho v)}.
 * {@link ConjugateGradient} works for every operator; an operator with a fast exact solve (a
 * periodic convolution by FFT, a mask) can supply its own.
 */
public interface NormalSolver {

    /**
     * @param a     the operator
     * @param b     the right-hand side (domain-sized, not modified)
     * @param rho   the shift, >= 0 (0 only when A is injective)
     * @param guess a warm start (not modified), or null for zero
     * @return x, a new array
     */
    float[] solve(LinearOperator a, float[] b, double rho, float[] guess);

    /**
     * As {@link #solve(LinearOperator, float[], double, float[])}, and at least as accurate as
     * {@code ||b - (A^T A + rho I) x|| <= bound}, so that {@code ||x - x*|| <= bound / rho}, where
     * the solver is iterative (an exact solver ignores it). DRS and ADMM tie the bound to their
     * last fixed-point residual, which keeps the error of an inexact data step below what the
     * residual's decrease can absorb: see {@link #RESIDUAL_FRACTION}.
     */
    default float[] solve(LinearOperator a, float[] b, double rho, float[] guess, double bound) {
        return solve(a, b, rho, guess);
    }

    /**
     * The data step's error bound in DRS and ADMM as a fraction of the last fixed-point residual:
     * {@code ||x_k - prox(v_k)|| <= 1e-3 ||s_k - s_{k-1}||}. Errors proportional to a decreasing
     * residual are summable where the residual decays geometrically, and this small a fraction keeps
     * them from showing as residual increases (with CG's relative 1e-6 alone, a few appeared near
     * 1e-4 of the first residual on the held-out deconvolution task).
     */
    double RESIDUAL_FRACTION = 1e-3;

    /** A short name with parameters. */
    String describe();
}
