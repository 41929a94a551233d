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
    void unknownDeviceIsABadInputError() {
        var r = CliTestSupport.run("info", "--device", "tpu");
        assertEquals(Lpnp.EXIT_BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("use auto, cpu or gpu"), r.err());
    }
}
