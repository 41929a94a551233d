package io.github.lipschitzpnp.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.lipschitzpnp.nn.DeviceChoice;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Map;

/** Options every subcommand shares: the JSON contract, the device and quiet mode. */
public final class CommonOptions {

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls()
            .disableHtmlEscaping().create();

    @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
    public boolean json;

    @Option(names = "--device", defaultValue = "auto",
            description = "Where the network runs: auto (GPU when DJL sees one), cpu or gpu. Default: ${DEFAULT-VALUE}.")
    public String device;

    @Option(names = "--quiet", description = "No progress output.")
    public boolean quiet;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write DIR/result.json, DIR/report.md and DIR/report.html (with figures, where the command makes any).")
    public java.nio.file.Path report;

    private final java.util.List<String[]> figures = new java.util.ArrayList<>();

    /** Registers a figure (a PNG path relative to the report folder) for --report. */
    public void figure(String relativePath, String caption) {
        figures.add(new String[] {relativePath, caption});
    }

    /** The chosen device, with a clear error when it is not available. */
    public ai.djl.Device device() {
        try {
            return DeviceChoice.parse(device).resolve();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /** A line of human-readable text, on stderr unless quiet. */
    public void say(String message) {
        if (!quiet) {
            System.err.println(message);
        }
    }

    /** Ends a subcommand: with --json, the result as one JSON object on the last line of stdout. */
    public void finish(Map<String, ?> result, PrintStream out) {
        if (report != null) {
            writeReport(result);
        }
        if (json) {
            out.println(GSON.toJson(result));
            out.flush();
        }
    }

    private void writeReport(Map<String, ?> result) {
        try {
            java.nio.file.Files.createDirectories(report);
            io.github.lipschitzpnp.report.AtomicFiles.writeString(report.resolve("result.json"),
                    new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(result));
            java.util.List<String> args = new java.util.ArrayList<>();
            picocli.CommandLine cl = mixee == null ? null : mixee.commandLine();
            while (cl != null) {
                args.add(0, cl.getCommandName());
                cl = cl.getParent();
            }
            if (mixee != null && mixee.commandLine().getParseResult() != null) {
                args = new java.util.ArrayList<>(java.util.List.of("lpnp"));
                args.addAll(mixee.commandLine().getParseResult().originalArgs());
            }
            String command = String.join(" ", args);
            io.github.lipschitzpnp.report.Report r = new io.github.lipschitzpnp.report.Report(command);
            java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
            for (Map.Entry<String, ?> e : result.entrySet()) {
                Object v = e.getValue();
                if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
                    rows.add(java.util.List.of(e.getKey(), String.valueOf(v)));
                }
            }
            r.table(java.util.List.of("key", "value"), rows);
            for (String[] f : figures) {
                r.figure(f[0], f[1]);
            }
            r.paragraph("The full result is in `result.json`. Reproduce with:");
            r.code("./" + command);
            r.write(report);
        } catch (java.io.IOException e) {
            throw new UserInputException("cannot write the report to " + report + ": " + e.getMessage(), e);
        }
    }

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** JSON text of a value, in the CLI's format. */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }
}
