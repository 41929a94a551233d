package io.github.lipschitzpnp.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LpnpCliTest {

    @Test
    void helpListsSubcommands() {
        var r = CliTestSupport.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("info"), r.out());
    }

    @Test
    void infoPrintsEngineAsJsonOnLastLine() {
        var r = CliTestSupport.run("info", "--json", "--device", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("PyTorch", r.json().get("engine").getAsString());
        assertEquals("cpu()", r.json().get("device").getAsString());
    }

    @Test
    void reportOptionWritesJsonMarkdownAndHtml(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var r = CliTestSupport.run("info", "--device", "cpu", "--report", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        var json = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(dir.resolve("result.json")))
                .getAsJsonObject();
        assertEquals("PyTorch", json.get("engine").getAsString());
        String md = java.nio.file.Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| engine | PyTorch |") && md.contains("lpnp info --device cpu --report"), md);
        assertTrue(java.nio.file.Files.readString(dir.resolve("report.html")).contains("<table>"));
    }

    @Test
    void unknownDeviceIsABadInputError() {
        var r = CliTestSupport.run("info", "--device", "tpu");
        assertEquals(Lpnp.EXIT_BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("use auto, cpu or gpu"), r.err());
    }
}
