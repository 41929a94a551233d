package io.github.lipschitzpnp.fiji;

import ij.IJ;
import io.github.lipschitzpnp.solve.IterationListener;
import io.github.lipschitzpnp.solve.SolverResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Progress and cancellation for one job over several volumes (channels x frames, or slices):
 * ImageJ's progress bar and status line with an estimate of the time left, and Esc
 * ({@link IJ#escapePressed()}) or a thread interrupt to stop between iterations. Collects the
 * solver results for the convergence plot and the results table.
 */
public final class Feedback {

    /** One solved volume: where it came from and what the solver reported. */
    public record Volume(String label, SolverResult result, double psnr, double ssim) {
    }

    private final String task;
    private final int volumes;
    private final long start = System.nanoTime();
    private final List<Volume> results = new ArrayList<>();
    private volatile boolean cancelled;

    public Feedback(String task, int volumes) {
        this.task = task;
        this.volumes = Math.max(1, volumes);
        IJ.resetEscape();
    }

    /** True once the user pressed Esc or the thread was interrupted. */
    public boolean cancelled() {
        if (!cancelled && (IJ.escapePressed() || Thread.currentThread().isInterrupted())) {
            cancelled = true;
        }
        return cancelled;
    }

    /**
     * The listener for volume {@code index} (0-based) of an {@code iterations}-iteration run; it
     * also calls {@code observer} (may be null) and stops when that returns false.
     */
    public IterationListener forVolume(int index, int iterations, IterationListener observer) {
        return (k, residual, current) -> {
            if (observer != null && !observer.onIteration(k, residual, current)) {
                cancelled = true;
            }
            double done = (index + (double) k / Math.max(1, iterations)) / volumes;
            step(done, String.format(Locale.ROOT, "%s: %siteration %d/%d, residual %.3g", task,
                    volumes > 1 ? "volume " + (index + 1) + "/" + volumes + ", " : "", k, iterations, residual));
            return !cancelled();
        };
    }

    /** Reports that {@code done} (0..1) of the job is finished, with a status line. */
    public void step(double done, String status) {
        IJ.showProgress(Math.min(done, 0.999));
        double elapsed = (System.nanoTime() - start) / 1e9;
        String eta = done > 0.01 ? String.format(Locale.ROOT, ", about %s left", seconds(elapsed / done - elapsed)) : "";
        IJ.showStatus(status + eta + " (Esc stops)");
    }

    /** Records a finished volume. */
    public void add(String label, SolverResult r, double psnr, double ssim) {
        results.add(new Volume(label, r, psnr, ssim));
    }

    public List<Volume> results() {
        return results;
    }

    /** Clears the progress bar and shows a final status. */
    public void finish(String status) {
        IJ.showProgress(1.0);
        IJ.showStatus(status);
    }

    static String seconds(double s) {
        if (s < 90) {
            return Math.round(s) + " s";
        }
        if (s < 5400) {
            return Math.round(s / 60) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
}
