package io.github.lipschitzpnp.demo;

import io.github.lipschitzpnp.cli.CliTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, in its quick form, with the bundled model. */
class DemoCommandTest {

    @Test
    void demoWritesReportImagesAndTheJsonContract(@TempDir Path out) throws Exception {
        var r = CliTestSupport.run("demo", "--quick", "--json", "--device", "cpu", "--out", out.toString(),
                "--samples", "sample-images");
        assertEquals(0, r.exitCode(), r.err());
        var json = r.json();
        assertEquals(out.resolve("report.html").toString(), json.get("report").getAsString());
        var results = json.getAsJsonArray("results");
        assertTrue(results.size() >= 6, results.toString());
        double bestPnpCt = 0;
        double fbp = 0;
        for (var e : results) {
            var o = e.getAsJsonObject();
            assertTrue(o.has("task") && o.has("method") && o.has("psnr") && o.has("ssim"));
            double psnr = o.get("psnr").getAsDouble();
            assertTrue(Double.isFinite(psnr) && psnr > 15, o.toString());
            if (o.get("task").getAsString().equals("ct")) {
                if (o.get("method").getAsString().startsWith("PnP")) {
                    bestPnpCt = Math.max(bestPnpCt, psnr);
                }
                if (o.get("method").getAsString().equals("FBP")) {
                    fbp = psnr;
                }
            }
        }
        assertTrue(bestPnpCt > fbp, "PnP improves on its FBP starting point: " + bestPnpCt + " vs " + fbp);
        for (String f : new String[] {"report.md", "report.html", "deconvolution/panel.png", "ct/panel.png",
            "ct/convergence.png", "deconvolution/truth.tif", "ct/pnp-admm.tif"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("certified Lipschitz bound"), md);
        try (var s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no half-written files");
        }
    }

    @Test
    void missingSamplesIsAClearError(@TempDir Path out) {
        var r = CliTestSupport.run("demo", "--out", out.toString(), "--samples", out.resolve("nope").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("sample images not found"), r.err());
    }
}
