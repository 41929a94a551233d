package io.github.lipschitzpnp.results;

import io.github.lipschitzpnp.baseline.MedianFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconstructionComparisonTest {

    @Test
    void tinyRunGivesEveryRowAndTheDocSection(@TempDir Path docs) throws Exception {
        var plan = new ReconstructionComparison.Plan(List.of("camera_512.png"), List.of("ct_small_mu_256.tif"), 32, 4,
                List.of("gauss5"), new double[] {1, 2}, Path.of("sample-images"));
        // A median filter (no Lipschitz bound) stands in for the unconstrained network.
        var r = new ReconstructionComparison(plan, s -> { }, new MedianFilter(1), 0.05).run();
        assertEquals(2, r.tasks().size());
        var deconv = r.tasks().get(0);
        assertEquals(List.of("Tikhonov (CG)", "Richardson-Lucy", "TV (PDHG)", "PnP-ADMM + 1-Lipschitz (ours)",
                "PnP-ADMM + unconstrained"), deconv.rows().stream().map(ReconstructionComparison.Row::method).toList());
        var ct = r.tasks().get(1);
        assertEquals(List.of("FBP", "SIRT (x >= 0)", "CGLS", "TV (PDHG)", "PnP-PGD + 1-Lipschitz (ours)",
                "PnP-ADMM + 1-Lipschitz (ours)"), ct.rows().stream().map(ReconstructionComparison.Row::method).toList()
                .subList(0, 6));
        // two strengths: whichever wins lies at an end of the grid, and the table says so
        assertTrue(deconv.rows().get(3).setting().endsWith("(grid edge)"), deconv.rows().get(3).setting());
        assertTrue(deconv.rows().get(2).setting().startsWith("lambda"), deconv.rows().get(2).setting());
        for (var t : r.tasks()) {
            for (var row : t.rows()) {
                assertTrue(row.psnr() > 10 && row.psnr() < 60, row.method() + " " + row.psnr());
                assertTrue(row.perImagePsnr() >= row.psnr(), "each image's best is at least the common best: " + row);
                if (row.method().contains("ours")) {
                    assertEquals(4, row.residuals().length);
                    assertEquals(0, row.residualIncreases(), "averaged PnP with a certified denoiser: " + row);
                }
            }
        }
        var figures = ReconstructionComparison.writeFigures(r, docs, "figures/results");
        String md = ReconstructionComparison.markdown(r, figures);
        assertTrue(md.contains("### deconvolution") && md.contains("### sparse-view CT"), md);
        for (String f : figures.values()) {
            assertTrue(Files.size(docs.resolve(f)) > 1000);
        }
    }

    @Test
    void oneSettingForAllAndEachImagesBestAreChosenFromTheSameTrials() {
        double[] none = new double[0];
        var a = new ReconstructionComparison.Trial("a", new double[] {30, 20}, new double[] {0.9, 0.5}, none, 0, "");
        var b = new ReconstructionComparison.Trial("b", new double[] {26, 23}, new double[] {0.7, 0.8}, none, 2, "");
        var row = ReconstructionComparison.choose("m", List.of(a, b));
        // mean 25 against 24.5: one setting for all images is a; image 0 prefers a, image 1 b
        assertEquals("a", row.setting());
        assertEquals(25, row.psnr(), 1e-12);
        assertEquals(0.7, row.ssim(), 1e-12);
        assertEquals(26.5, row.perImagePsnr(), 1e-12);
        assertEquals(0.85, row.perImageSsim(), 1e-12);
        assertEquals("a; b", row.perImageSetting());
        assertEquals(0, row.residualIncreases());

        var i1 = new ReconstructionComparison.Trial("clip, iteration 1", new double[] {30, 20}, new double[] {1, 1},
                none, 0, "");
        var i2 = new ReconstructionComparison.Trial("clip, iteration 2", new double[] {29, 22}, new double[] {1, 1},
                none, 0, "");
        var it = ReconstructionComparison.choose("rl", List.of(i1, i2));
        assertEquals("clip, iteration 2", it.setting());
        assertEquals("clip, iterations [1, 2]", it.perImageSetting());
        assertEquals("one setting", ReconstructionComparison.choose("x", List.of(a)).perImageSetting());
    }

    @Test
    void residualIncreasesAreCountedAboveTheFloorOnly() {
        assertEquals(0, ReconstructionComparison.increasesAboveFloor(new double[] {1, 0.5, 0.25, 0.1}));
        assertEquals(1, ReconstructionComparison.increasesAboveFloor(new double[] {1, 0.5, 0.6, 0.1}));
        // at 1e-5 of the first residual a wiggle is rounding, not growth
        assertEquals(0, ReconstructionComparison.increasesAboveFloor(new double[] {1, 1e-5, 2e-5, 1e-5}));
    }
}
