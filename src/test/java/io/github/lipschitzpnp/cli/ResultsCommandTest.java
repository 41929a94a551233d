package io.github.lipschitzpnp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsCommandTest {

    @Test
    void unknownExperimentOrBaselineIsBadInput() {
        var r = CliTestSupport.run("results", "segmentation");
        assertEquals(Lpnp.EXIT_BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("choose denoising, reconstruction or regulariser"), r.err());
        var d = CliTestSupport.run("results", "denoising", "--dncnn", "gauss7");
        assertEquals(Lpnp.EXIT_BAD_INPUT, d.exitCode());
        assertTrue(d.err().contains("gauss7") && d.err().contains("gauss25"), d.err());
    }

    @Test
    void theRegulariserComparisonWritesItsSectionAndFigures(@TempDir Path docs) throws Exception {
        Files.writeString(docs.resolve("regulariser.md"), "# Regulariser\n\nhand-written text\n");
        var r = CliTestSupport.run("results", "regulariser", "--quick", "--docs", docs.toString(), "--json",
                "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        String page = Files.readString(docs.resolve("regulariser.md"));
        assertTrue(page.contains("hand-written text"), "the rest of the page is kept");
        assertTrue(page.contains("<!-- results:regulariser:begin") && page.contains("learned regulariser")
                && page.contains("PnP-ADMM"), page);
        assertTrue(Files.size(docs.resolve("figures/regulariser-ct-panel.png")) > 1000);
        assertTrue(r.json().get("rows").getAsJsonArray().size() >= 6, r.out());
    }
}
