package io.github.lipschitzpnp.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar with an ETA on stderr, redrawn in place. It is silent when stderr is not
 * a terminal (logs, CI, pipes) and with {@code --quiet}.
 */
public final class ProgressBar {

    private final PrintStream err;
    private final boolean quiet;
    private final boolean terminal;
    private final String label;
    private final long start = System.nanoTime();
    private long lastDraw;

    public ProgressBar(String label, boolean quiet) {
        this(label, quiet, System.console() != null, System.err);
    }

    ProgressBar(String label, boolean quiet, boolean terminal, PrintStream err) {
        this.label = label;
        this.quiet = quiet;
        this.terminal = terminal;
        this.err = err;
    }

    /** Reports {@code done} of {@code total}, with a short status text. */
    public void update(long done, long total, String status) {
        if (quiet || !terminal || total <= 0) {
            return;
        }
        double fraction = Math.min(1, (double) done / total);
        double elapsed = (System.nanoTime() - start) / 1e9;
        String eta = done > 0 && done < total ? " ETA " + formatSeconds(elapsed / done * (total - done)) : "";
        if (terminal) {
            long now = System.nanoTime();
            if (done < total && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = (int) Math.round(fraction * width);
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            err.print(String.format(Locale.ROOT, "\r%s [%s] %3.0f%% %d/%d %s%s   ", label, bar, 100 * fraction, done, total,
                    status, eta));
            if (done >= total) {
                err.println();
            }
        }
        err.flush();
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
