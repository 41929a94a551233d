package io.github.lipschitzpnp.physics;

/** FFT lengths: the next size whose only prime factors are 2, 3 and 5 (fast in JTransforms). */
public final class FftSizes {

    private FftSizes() {
    }

    /** The smallest 2,3,5-smooth integer at least {@code n} (n >= 1). */
    public static int nextSmooth(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be at least 1, got " + n);
        }
        for (int m = n; m > 0; m++) {
            if (isSmooth(m)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no 2,3,5-smooth FFT length at least " + n + " fits an int");
    }

    /** Whether {@code n} has no prime factor other than 2, 3 and 5. */
    public static boolean isSmooth(int n) {
        if (n < 1) {
            return false;
        }
        for (int p : new int[] {2, 3, 5}) {
            while (n % p == 0) {
                n /= p;
            }
        }
        return n == 1;
    }
}
