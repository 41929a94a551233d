package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;

/**
 * Conjugate gradients on {@code (A^T A + rho I) x = b}; stops when ||b - M x|| <= tolerance * ||b||
 * or after maxIterations. Works for any operator; the matrix is never formed.
 */
public final class ConjugateGradient implements NormalSolver {

    private final double tolerance;
    private final int maxIterations;

    /** Relative tolerance 1e-6, at most 100 iterations. */
    public ConjugateGradient() {
        this(1e-6, 100);
    }

    public ConjugateGradient(double tolerance, int maxIterations) {
        if (!(tolerance >= 0) || maxIterations < 1) {
            throw new IllegalArgumentException("CG needs tolerance >= 0 and maxIterations >= 1");
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /** M v = A^T A v + rho v. */
    static float[] normalApply(LinearOperator a, float[] v, double rho) {
        float[] out = Flat.adjoint(a, Flat.apply(a, v));
        if (rho != 0) {
            Vec.axpy(rho, v, out);
        }
        return out;
    }

    @Override
    public float[] solve(LinearOperator a, float[] b, double rho, float[] guess) {
        return solve(a, b, rho, guess, Double.POSITIVE_INFINITY);
    }

    /** Stops at ||b - M x|| <= min(tolerance ||b||, bound), or after maxIterations. */
    @Override
    public float[] solve(LinearOperator a, float[] b, double rho, float[] guess, double bound) {
        if (!(rho >= 0)) {
            throw new IllegalArgumentException("rho must be >= 0, got " + rho);
        }
        float[] x = guess == null ? new float[b.length] : guess.clone();
        float[] r = b.clone();
        if (guess != null) {
            Vec.axpy(-1, normalApply(a, x, rho), r);
        }
        double bnorm = Vec.norm(b);
        double rr = Vec.dot(r, r);
        double stop = Math.min(tolerance * bnorm, bound >= 0 ? bound : Double.POSITIVE_INFINITY);
        if (Math.sqrt(rr) <= stop || bnorm == 0) {
            return bnorm == 0 ? new float[b.length] : x;
        }
        float[] p = r.clone();
        for (int it = 0; it < maxIterations; it++) {
            if (Thread.currentThread().isInterrupted()) {
                break; // leave the flag set: the outer solver stops with CANCELLED
            }
            float[] q = normalApply(a, p, rho);
            double pq = Vec.dot(p, q);
            if (!(pq > 0)) {
                break; // M not positive definite along p (rho = 0 and A not injective) or numerical end
            }
            double alpha = rr / pq;
            Vec.axpy(alpha, p, x);
            Vec.axpy(-alpha, q, r);
            double rrNew = Vec.dot(r, r);
            if (Math.sqrt(rrNew) <= stop) {
                break;
            }
            Vec.axpby(1, r, rrNew / rr, p);
            rr = rrNew;
        }
        return x;
    }

    @Override
    public String describe() {
        return "conjugate gradients (tol " + Certificates.fmt(tolerance) + ", max " + maxIterations + ")";
    }
}
