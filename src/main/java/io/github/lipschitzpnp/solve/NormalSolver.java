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

    /** A short name with parameters. */
    String describe();
}
