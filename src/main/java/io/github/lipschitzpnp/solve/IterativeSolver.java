package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.converter.Converters;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The loop every solver shares: residual history, relative-tolerance stop, iteration budget,
 * metrics against a reference, listener/interrupt cancellation and the divergence guard.
 * Subclasses only say how one iteration goes ({@link Run#step()}).
 *
 * <p>Stopping rules, checked after each iteration k with residual r_k = ||s_k - s_{k-1}|| of the
 * sequence s the algorithm's guarantee is about:
 * <ul>
 * <li>CONVERGED when r_k <= tolerance * ||x_k|| (x_k the current image);</li>
 * <li>DIVERGED at once when a NaN/Inf appears, or when the residual has grown in
 * {@link #divergenceWindow} consecutive iterations and ended above {@link #divergenceFactor}
 * times its value before the streak; the result's image is then the best iterate;</li>
 * <li>CANCELLED when the listener returns false or the thread is interrupted (the interrupt flag
 * is restored); the last iterate is kept;</li>
 * <li>MAX_ITERATIONS otherwise.</li>
 * </ul>
 *
 * @param <S> the concrete solver, for chained setters
 */
public abstract class IterativeSolver<S extends IterativeSolver<S>> {

    private int maxIterations = 200;
    private double tolerance = 1e-5;
    private IterationListener listener;
    private int divergenceWindow = 10;
    private double divergenceFactor = 2;
    private int metricsEvery = 1;

    /** One run of the algorithm on one problem. */
    protected interface Run {
        /** Performs one iteration and returns its fixed-point residual. */
        double step();

        /** The current image estimate; the solver copies it, the run may keep reusing the array. */
        float[] image();

        /** The objective at the current image, or NaN where the algorithm minimises none. */
        default double objective() {
            return Double.NaN;
        }

        /** The convergence guarantee that applies to this run, or why none does. */
        String guarantee();

        /**
         * A run-specific convergence test checked after each iteration (e.g. on the objective):
         * a message when the run should stop as CONVERGED, else null (default: never).
         */
        default String converged() {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    protected final S self() {
        return (S) this;
    }

    /** Iteration budget (default 200). */
    public S maxIterations(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxIterations must be >= 0, got " + n);
        }
        this.maxIterations = n;
        return self();
    }

    /** Stop when ||s_k - s_{k-1}|| <= tolerance * ||x_k|| (default 1e-5; 0 disables). */
    public S tolerance(double tol) {
        if (!(tol >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tol);
        }
        this.tolerance = tol;
        return self();
    }

    /** Called after every iteration; may stop the run. */
    public S listener(IterationListener l) {
        this.listener = l;
        return self();
    }

    /**
     * The divergence guard: stop when the residual grew in {@code window} consecutive iterations and
     * by more than {@code factor} overall (defaults 10 and 2). NaN/Inf always stops.
     */
    public S divergenceGuard(int window, double factor) {
        if (window < 1 || !(factor >= 1)) {
            throw new IllegalArgumentException("divergence guard needs window >= 1 and factor >= 1");
        }
        this.divergenceWindow = window;
        this.divergenceFactor = factor;
        return self();
    }

    /** Compute PSNR/SSIM against the reference every n iterations (default 1; others are NaN). */
    public S metricsEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("metricsEvery must be >= 1");
        }
        this.metricsEvery = n;
        return self();
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    /** The algorithm's name and parameters. */
    public abstract String describe();

    /** Prepares a run (validates parameters against the problem, initialises the state). */
    protected abstract Run start(Problem problem);

    /** The default initial guess A^T y / ||A||^2 when the problem gives none. */
    protected static float[] initialGuess(Problem p) {
        if (p.initialArray() != null) {
            return p.initialArray().clone();
        }
        float[] x = Flat.adjoint(p.operator(), p.dataArray());
        double n = p.operator().norm();
        if (n > 0 && Double.isFinite(n)) {
            Vec.scale(1 / (n * n), x);
        }
        return x;
    }

    /** Solves the problem. The problem's images are never modified. */
    public final SolverResult solve(Problem problem) {
        Run run = start(problem);
        long[] dims = problem.domain();
        float[] ref = problem.referenceArray();
        double range = problem.dataRange();
        boolean metrics = ref != null && range > 0 && Double.isFinite(range);
        boolean ssimPossible = true;
        for (long d : dims) {
            ssimPossible &= d >= 11;
        }

        float[] current = run.image();
        float[] last = current.clone();
        float[] best = current.clone();
        double bestResidual = Double.POSITIVE_INFINITY;
        int bestIteration = 0;
        int capacity = Math.min(maxIterations, 1024);
        double[] res = new double[capacity];
        double[] obj = new double[capacity];
        double[] psnr = new double[capacity];
        double[] ssim = new double[capacity];
        StopReason reason = StopReason.MAX_ITERATIONS;
        String message = "reached the iteration budget of " + maxIterations;
        int streak = 0;
        double streakStart = 0;
        int k = 0;
        while (k < maxIterations) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                reason = StopReason.CANCELLED;
                message = "interrupted after " + k + " iterations; the last iterate is kept";
                break;
            }
            double r = run.step();
            current = run.image();
            k++;
            if (k > res.length) {
                int grown = (int) Math.min(maxIterations, 2L * res.length);
                res = java.util.Arrays.copyOf(res, grown);
                obj = java.util.Arrays.copyOf(obj, grown);
                psnr = java.util.Arrays.copyOf(psnr, grown);
                ssim = java.util.Arrays.copyOf(ssim, grown);
            }
            res[k - 1] = r;
            if (!Double.isFinite(r) || !Vec.isFinite(current)) {
                obj[k - 1] = Double.NaN;
                psnr[k - 1] = Double.NaN;
                ssim[k - 1] = Double.NaN;
                reason = StopReason.DIVERGED;
                message = "diverged: a NaN or infinite value appeared at iteration " + k
                        + "; returning the best iterate (iteration " + bestIteration + ")";
                break;
            }
            System.arraycopy(current, 0, last, 0, current.length);
            if (r < bestResidual) {
                bestResidual = r;
                bestIteration = k;
                System.arraycopy(current, 0, best, 0, current.length);
            }
            obj[k - 1] = run.objective();
            boolean measure = metrics && (k % metricsEvery == 0);
            psnr[k - 1] = measure ? Metrics.psnr(current, ref, range) : Double.NaN;
            ssim[k - 1] = measure && ssimPossible ? Metrics.ssim(current, ref, dims, range) : Double.NaN;
            if (listener != null && !listener.onIteration(k, r, Converters.convertRAI(
                    FloatImages.wrap(current, dims), (a, b) -> b.set(a), new FloatType()))) {
                reason = StopReason.CANCELLED;
                message = "stopped by the listener after " + k + " iterations; the last iterate is kept";
                break;
            }
            if (k > 1 && r > res[k - 2]) {
                if (streak == 0) {
                    streakStart = res[k - 2];
                }
                streak++;
            } else {
                streak = 0;
            }
            if (streak >= divergenceWindow && r > divergenceFactor * streakStart) {
                reason = StopReason.DIVERGED;
                message = "diverged: the fixed-point residual grew in " + streak + " consecutive iterations, from "
                        + Certificates.fmt(streakStart) + " to " + Certificates.fmt(r) + "; returning the best iterate"
                        + " (iteration " + bestIteration + ", residual " + Certificates.fmt(bestResidual) + ")";
                break;
            }
            String own = run.converged();
            if (own != null) {
                reason = StopReason.CONVERGED;
                message = own;
                break;
            }
            if (r <= tolerance * Vec.norm(current)) {
                reason = StopReason.CONVERGED;
                message = "relative residual " + Certificates.fmt(r / Math.max(Vec.norm(current), Double.MIN_NORMAL))
                        + " <= tolerance " + Certificates.fmt(tolerance) + " after " + k + " iterations";
                break;
            }
        }
        float[] image = reason == StopReason.DIVERGED ? best : last;
        return new SolverResult(describe(), image.clone(), last, best, bestIteration, dims, k,
                java.util.Arrays.copyOf(res, k), java.util.Arrays.copyOf(obj, k), java.util.Arrays.copyOf(psnr, k),
                java.util.Arrays.copyOf(ssim, k), reason, message, run.guarantee());
    }
}
