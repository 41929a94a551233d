package io.github.lipschitzpnp.solve;

/**
 * Tight single-threaded loops on flat {@code float[]} vectors, the working representation of all
 * solvers. Sums and inner products accumulate in double.
 */
public final class Vec {

    private Vec() {
    }

    /** y += a x. */
    public static void axpy(double a, float[] x, float[] y) {
        check(x, y);
        float af = (float) a;
        for (int i = 0; i < x.length; i++) {
            y[i] += af * x[i];
        }
    }

    /** y = a x + b y. */
    public static void axpby(double a, float[] x, double b, float[] y) {
        check(x, y);
        float af = (float) a;
        float bf = (float) b;
        for (int i = 0; i < x.length; i++) {
            y[i] = af * x[i] + bf * y[i];
        }
    }

    /** The inner product, accumulated in double. */
    public static double dot(float[] x, float[] y) {
        check(x, y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    /** The Euclidean norm. */
    public static double norm(float[] x) {
        return Math.sqrt(dot(x, x));
    }

    /** ||x - y||. */
    public static double distance(float[] x, float[] y) {
        check(x, y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** A new vector a x. */
    public static float[] scaled(double a, float[] x) {
        float af = (float) a;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = af * x[i];
        }
        return out;
    }

    /** A new vector a x + b y. */
    public static float[] combination(double a, float[] x, double b, float[] y) {
        check(x, y);
        float af = (float) a;
        float bf = (float) b;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = af * x[i] + bf * y[i];
        }
        return out;
    }

    /** A new vector x - y. */
    public static float[] difference(float[] x, float[] y) {
        return combination(1, x, -1, y);
    }

    /** x *= a, in place. */
    public static void scale(double a, float[] x) {
        float af = (float) a;
        for (int i = 0; i < x.length; i++) {
            x[i] *= af;
        }
    }

    /** A new vector of n copies of v. */
    public static float[] filled(int n, float v) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** x = max(x, 0), in place. */
    public static void clampNonNegative(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0)) {
                x[i] = x[i] != x[i] ? x[i] : 0f; // keep NaN visible to the divergence guard
            }
        }
    }

    /** True when every entry is finite. */
    public static boolean isFinite(float[] x) {
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The sum, accumulated in double. */
    public static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    private static void check(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("vector lengths differ: " + x.length + " vs " + y.length);
        }
    }
}
