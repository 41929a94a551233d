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

    /**
     * Angles from a command-line specification: an existing text file (see {@link #read}),
     * {@code start:end:count} ({@code count} angles from {@code start} in steps of
     * {@code (end - start) / count}, end exclusive, e.g. {@code 0:180:60}), a comma-separated list
     * ({@code 0,3,6.5}), or a single whole number N (N angles evenly over [0, 180)).
     * {@code expected > 0} is the sinogram's number of rows, checked against the count.
     */
    public static double[] parse(String spec, int expected) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty angle specification: give start:end:count (e.g. 0:180:60), "
                    + "a comma list of degrees, a count, or a text file of angles");
        }
        String t = spec.trim();
        Path file = Path.of(t);
        if (Files.isRegularFile(file)) {
            return read(file, expected);
        }
        double[] a;
        try {
            if (t.contains(":")) {
                String[] parts = t.split(":");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("angle range '" + spec + "' must be start:end:count, e.g. 0:180:60");
                }
                double start = Double.parseDouble(parts[0].trim());
                double end = Double.parseDouble(parts[1].trim());
                int count = Integer.parseInt(parts[2].trim());
                if (count < 1 || !Double.isFinite(start) || !Double.isFinite(end) || end == start) {
                    throw new IllegalArgumentException("angle range '" + spec
                            + "' needs a count >= 1 and finite start != end, e.g. 0:180:60");
                }
                a = new double[count];
                for (int i = 0; i < count; i++) {
                    a[i] = start + i * (end - start) / count;
                }
            } else if (t.contains(",")) {
                String[] parts = t.split(",");
                a = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    a[i] = Double.parseDouble(parts[i].trim());
                    if (!Double.isFinite(a[i])) {
                        throw new NumberFormatException();
                    }
                }
            } else if (t.matches("\\d+")) {
                int count = Integer.parseInt(t);
                if (count < 1) {
                    throw new IllegalArgumentException("the angle count must be at least 1, got " + t);
                }
                a = uniform(count);
            } else {
                throw new IllegalArgumentException("'" + spec + "' is neither an existing angles file nor an angle "
                        + "specification: give start:end:count (e.g. 0:180:60), a comma list of degrees or a count");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read the angles '" + spec
                    + "': give start:end:count (e.g. 0:180:60), a comma list of degrees or a count");
        }
        if (expected > 0 && a.length != expected) {
            throw new IllegalArgumentException("'" + spec + "' gives " + a.length + " angles but the sinogram has "
                    + expected + " rows (one per angle): they must match");
        }
        return a;
    }
}
