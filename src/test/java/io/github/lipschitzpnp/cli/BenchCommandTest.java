package io.github.lipschitzpnp.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lpnp bench} at a tiny size: the JSON contract, not the timings. */
class BenchCommandTest {

    static final List<String> KEYS = List.of("djl_over_torch_forward", "djl_over_torch_train_step",
            "pnp_iteration_over_floor", "fbp_over_skimage", "sirt_over_skimage");

    @TempDir
    Path dir;

    private static JsonObject runTiny(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "--tiny", "--json", "--quiet", "--device", "cpu"));
        args.addAll(List.of(extra));
        CliTestSupport.Result r = CliTestSupport.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        return r.json();
    }

    @Test
    void tinyBenchEndsWithTheRatioObject() throws Exception {
        // a hand-written section of the page survives the rewrite
        Files.writeString(dir.resolve("benchmarks.md"), "# Benchmarks\n\n## Spark batch throughput\n\nby hand\n");
        JsonObject json = runTiny("--report", dir.toString());
        assertEquals(KEYS, List.copyOf(json.keySet()), "keys and their order");
        for (String k : KEYS) {
            JsonElement v = json.get(k);
            assertTrue(v.isJsonNull() || v.getAsDouble() > 0, k + " must be positive or null, got " + v);
        }
        assertFalse(json.get("pnp_iteration_over_floor").isJsonNull(), "the PnP ratio needs no reference");
        String md = Files.readString(dir.resolve("benchmarks.md"));
        assertTrue(md.contains("djl_over_torch_forward") && md.contains("## 5. Scaling"), md);
        assertTrue(md.startsWith("# Benchmarks") && md.contains("## Spark batch throughput\n\nby hand"), md);
        // a second run replaces the generated section instead of adding one
        runTiny("--report", dir.toString());
        String again = Files.readString(dir.resolve("benchmarks.md"));
        assertEquals(1, again.split("## 5. Scaling", -1).length - 1, again);
        assertTrue(again.contains("by hand"));
        assertTrue(Files.size(dir.resolve("figures/bench/scaling-side.png")) > 0);
        assertTrue(Files.size(dir.resolve("figures/bench/scaling-depth.png")) > 0);
    }

    @Test
    void ratiosAreNullWhenThePythonReferenceCannotRun() {
        String old = System.getProperty("lpnp.python");
        System.setProperty("lpnp.python", "/nonexistent/python3");
        try {
            JsonObject json = runTiny();
            assertEquals(KEYS, List.copyOf(json.keySet()));
            for (String k : List.of("djl_over_torch_forward", "djl_over_torch_train_step", "fbp_over_skimage",
                    "sirt_over_skimage")) {
                assertTrue(json.get(k).isJsonNull(), k + " must be null without Python, got " + json.get(k));
            }
            assertTrue(json.get("pnp_iteration_over_floor").getAsDouble() > 0);
        } finally {
            if (old == null) {
                System.clearProperty("lpnp.python");
            } else {
                System.setProperty("lpnp.python", old);
            }
        }
    }
}
