package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Projection angles: evenly spaced over 180 degrees, or read from a text file. */
public final class Angles {

    private Angles() {
    }

    /** {@code count} angles evenly spaced in [0, 180) degrees. */
    public static double[] uniform(int count) {
        return ParallelBeamRadon.uniformAngles(count);
    }

    /**
     * Angles in degrees from a text file: numbers separated by white space, commas or semicolons,
     * '#' starts a comment. The count must equal {@code expected} (the sinogram's rows) unless
     * {@code expected <= 0}.
     */
    public static double[] read(Path file, int expected) throws IOException {
        List<Double> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (t.isEmpty()) {
                continue;
            }
            for (String tok : t.split("[\\s,;]+")) {
                if (tok.isEmpty()) {
                    continue;
                }
                try {
                    double v = Double.parseDouble(tok);
                    if (!Double.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    out.add(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": '" + tok
                            + "' is not an angle in degrees");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no angles");
        }
        if (expected > 0 && out.size() != expected) {
            throw new IllegalArgumentException(file + " holds " + out.size() + " angles but the sinogram has "
                    + expected + " rows (one per angle): they must match");
        }
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }
}
