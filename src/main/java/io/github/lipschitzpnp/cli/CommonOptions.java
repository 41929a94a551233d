package io.github.lipschitzpnp.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.lipschitzpnp.nn.DeviceChoice;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Map;

/** Options every subcommand shares: the JSON contract, the device and quiet mode. */
public final class CommonOptions {

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
    public boolean json;

    @Option(names = "--device", defaultValue = "auto",
            description = "Where the network runs: auto (GPU when DJL sees one), cpu or gpu. Default: ${DEFAULT-VALUE}.")
    public String device;

    @Option(names = "--quiet", description = "No progress output.")
    public boolean quiet;

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
        if (json) {
            out.println(GSON.toJson(result));
            out.flush();
        }
    }

    /** JSON text of a value, in the CLI's format. */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }
}
