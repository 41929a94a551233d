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
}
