package io.github.lipschitzpnp.paper;

/** Small dense double-precision matrix helpers for the analytic networks. */
final class Matrices {

    private Matrices() {
    }

    static double[] multiply(double[][] a, double[] x) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            out[i] = s;
        }
        return out;
    }

    static double[] multiplyTransposed(double[][] a, double[] y) {
        double[] out = new double[a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += a[i][j] * y[i];
            }
        }
        return out;
    }

    /**
     * ||A||_2 for the small matrices used here: exact for one row or one column (the Euclidean norm),
     * otherwise the square root of the largest eigenvalue of A^T A by power iteration run to
     * convergence in double precision.
     */
    static double spectralNorm(double[][] a) {
        if (a.length == 1) {
            return euclidean(a[0]);
        }
        if (a[0].length == 1) {
            double s = 0;
            for (double[] row : a) {
                s += row[0] * row[0];
            }
            return Math.sqrt(s);
        }
        int n = a[0].length;
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = 1.0 + 0.1 * j;
        }
        double lambda = 0;
        for (int it = 0; it < 10_000; it++) {
            double[] w = multiplyTransposed(a, multiply(a, v));
            double norm = euclidean(w);
            if (norm == 0) {
                return 0;
            }
            for (int j = 0; j < n; j++) {
                v[j] = w[j] / norm;
            }
            if (Math.abs(norm - lambda) <= 1e-15 * norm) {
                lambda = norm;
                break;
            }
            lambda = norm;
        }
        return Math.sqrt(lambda);
    }

    static double euclidean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
