package io.github.lipschitzpnp.paper;

import io.github.lipschitzpnp.cli.CliTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaperExperimentsTest {

    @Test
    void exactRepresentationsHoldInTheDjlNetworkToMachinePrecision() throws Exception {
        var exact = new PaperExperiments(PaperExperiments.Plan.quick(), 1).exactRepresentations(null);
        assertEquals(6, exact.size());
        for (var e : exact) {
            assertTrue(e.maxErrorDjl() <= 1e-6, e.toString());
            assertTrue(e.maxErrorDouble() <= 1e-6, e.toString());
        }
    }

    @Test
    void deeperNetworksFitBetterAndTheConstraintHolds() {
        ApproximationStudy study = new ApproximationStudy(new ApproximationStudy.Settings(16, 200, 512, 2048, 0.01, 0, 3));
        ApproximationStudy.Fit shallow = study.fit(Targets.WIGGLY_1D, 1, true);
        ApproximationStudy.Fit deep = study.fit(Targets.WIGGLY_1D, 4, true);
        assertTrue(deep.testRmse() < shallow.testRmse(), shallow + " vs " + deep);
        for (ApproximationStudy.Fit f : new ApproximationStudy.Fit[] {shallow, deep}) {
            assertTrue(f.certifiedBound() <= 1 + 1e-3, f.toString());
            assertTrue(f.empiricalBound() <= f.certifiedBound() + 1e-3, f.toString());
        }
    }

    @Test
    void withoutTheConstraintTheFitOnNoisyDataIsSteeperThanOne() {
        ApproximationStudy noisy = new ApproximationStudy(new ApproximationStudy.Settings(16, 400, 48, 1024, 0.01, 0.1, 1));
        ApproximationStudy.Fit u = noisy.fit(Targets.WIGGLY_1D, 4, false);
        assertTrue(u.empiricalBound() > 1.05, u.toString());
    }

    @Test
    void writesMarkdownAndFiguresWhenAskedForAReport(@TempDir Path dir) throws Exception {
        var figures = dir.resolve("figures");
        Files.createDirectories(figures);
        new PaperExperiments(PaperExperiments.Plan.quick(), 1).exactRepresentations(figures);
        assertTrue(Files.size(figures.resolve("exact-x.png")) > 1000);
    }

    @Test
    void unknownOptionIsABadInputError() {
        var r = CliTestSupport.run("paper", "--bogus");
        assertEquals(2, r.exitCode());
    }
}
