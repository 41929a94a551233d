package io.github.lipschitzpnp.physics;

import java.util.Arrays;

import net.imglib2.Interval;
import net.imglib2.util.Intervals;

/** Size checks shared by the operators: one clear message for every mismatch. */
final class Dims {

    private Dims() {
    }

    /** Throws IllegalArgumentException unless {@code img} has exactly {@code expected} dimensions. */
    static void require(Interval img, long[] expected, String role, String operator) {
        if (img == null) {
            throw new IllegalArgumentException(operator + ": the " + role + " is null");
        }
        long[] d = Intervals.dimensionsAsLongArray(img);
        if (!Arrays.equals(d, expected)) {
            throw new IllegalArgumentException(operator + ": the " + role + " has dimensions " + Arrays.toString(d)
                    + " but this operator expects " + Arrays.toString(expected)
                    + "; build the operator for this size or crop/pad the input");
        }
    }

    /** Number of elements as an int, or an error naming the operator when it does not fit one array. */
    static int count(long[] dims, String operator) {
        long n = 1;
        for (long d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException(operator + ": every dimension must be at least 1, got "
                        + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(operator + ": " + Arrays.toString(dims)
                        + " is too large for one array; tile the image");
            }
        }
        return (int) n;
    }

    /** Inner product accumulated in double. */
    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Euclidean norm accumulated in double. */
    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
