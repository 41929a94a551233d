package io.github.lipschitzpnp.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsCommandTest {

    @Test
    void unknownExperimentOrBaselineIsBadInput() {
        var r = CliTestSupport.run("results", "segmentation");
        assertEquals(Lpnp.EXIT_BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("choose denoising or reconstruction"), r.err());
        var d = CliTestSupport.run("results", "denoising", "--dncnn", "gauss7");
        assertEquals(Lpnp.EXIT_BAD_INPUT, d.exitCode());
        assertTrue(d.err().contains("gauss7") && d.err().contains("gauss25"), d.err());
    }
}
