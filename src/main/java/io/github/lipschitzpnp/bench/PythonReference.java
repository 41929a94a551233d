package io.github.lipschitzpnp.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a reference script of {@code scripts/} with Debian's {@code /usr/bin/python3} (where
 * python3-torch and python3-skimage live) and reads the JSON object on the last line of its
 * stdout. Failure (no interpreter, no module, non-zero exit, timeout) is a result with a message,
 * not an exception: the bench then reports the ratio as null.
 */
public final class PythonReference {

    /** The interpreter used unless the system property {@code lpnp.python} names another. */
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";

    /** The parsed JSON (null on failure) and what happened. */
    public record Outcome(JsonObject json, String message) {
        public boolean ok() {
            return json != null;
        }
    }

    private final Path scriptsDir;
    private final String python;
    private final int threads;

    /**
     * @param scriptsDir folder holding the bench scripts
     * @param threads    value of OMP_NUM_THREADS (and the scripts' own thread setting)
     */
    public PythonReference(Path scriptsDir, int threads) {
        this.scriptsDir = scriptsDir;
        this.python = System.getProperty("lpnp.python", DEFAULT_PYTHON);
        this.threads = threads;
    }

    /** The interpreter path. */
    public String python() {
        return python;
    }

    /** Runs {@code script} with {@code args}, waiting at most {@code timeoutSeconds}. */
    public Outcome run(String script, List<String> args, long timeoutSeconds) {
        Path file = scriptsDir.resolve(script);
        if (!Files.isRegularFile(file)) {
            return new Outcome(null, "script " + file + " not found (run the bench from the repository root)");
        }
        if (!Files.isExecutable(Path.of(python))) {
            return new Outcome(null, python + " not found: the Python reference could not run");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(python);
        cmd.add(file.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("MKL_NUM_THREADS", Integer.toString(threads));
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        Path err = null;
        Path out = null;
        try {
            err = Files.createTempFile("lpnp-bench-", ".stderr");
            out = Files.createTempFile("lpnp-bench-", ".stdout");
            pb.redirectError(err.toFile());
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(null, script + " timed out after " + timeoutSeconds + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                String e = Files.readString(err, StandardCharsets.UTF_8).strip();
                String last = e.isEmpty() ? "" : e.substring(e.lastIndexOf('\n') + 1);
                return new Outcome(null, script + " failed (exit " + p.exitValue() + "): " + last);
            }
            if (stdout.isEmpty()) {
                return new Outcome(null, script + " printed nothing");
            }
            String line = stdout.substring(stdout.lastIndexOf('\n') + 1);
            return new Outcome(JsonParser.parseString(line).getAsJsonObject(), "ok");
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, script + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, script + " interrupted");
        } finally {
            for (Path f : new Path[] {err, out}) {
                if (f != null) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // a temporary file left behind is harmless
                    }
                }
            }
        }
    }
}
