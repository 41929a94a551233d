package io.github.lipschitzpnp.bench;

import java.util.Arrays;

/**
 * A plain timing harness: warm-up calls, then repeated timed calls, reported by their median
 * (robust to the occasional pause of a loaded machine) with all samples kept.
 */
public final class Timing {

    private Timing() {
    }

    /** Seconds of each timed call, and their median. */
    public record Samples(double[] seconds) {
        public Samples {
            if (seconds.length == 0) {
                throw new IllegalArgumentException("no samples");
            }
            seconds = seconds.clone();
        }

        /** The median of the samples (mean of the middle two for an even count). */
        public double median() {
            return Timing.median(seconds);
        }

        /** The smallest sample. */
        public double min() {
            return Arrays.stream(seconds).min().orElseThrow();
        }
    }

    /** A task that may throw. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /** Runs {@code task} {@code warmup} times untimed, then {@code reps} times timed. */
    public static Samples time(int warmup, int reps, Task task) throws Exception {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] s = new double[Math.max(1, reps)];
        for (int i = 0; i < s.length; i++) {
            long t0 = System.nanoTime();
            task.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        return new Samples(s);
    }

    /** The median of {@code values} (not modified). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
