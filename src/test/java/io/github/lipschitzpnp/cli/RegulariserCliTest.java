package io.github.lipschitzpnp.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegulariserCliTest {

    @Test
    void certifyListShowsKindsAndBothShippedRegularisers() {
        CliTestSupport.Result r = CliTestSupport.run("certify", "--list", "--json");
        assertEquals(0, r.exitCode(), r.err());
        int regularisers = 0;
        int denoisers = 0;
        for (JsonElement e : r.json().getAsJsonArray("models")) {
            JsonObject m = e.getAsJsonObject();
            if (m.get("kind").getAsString().equals(ModelSpec.KIND_REGULARIZER)) {
                regularisers++;
                assertTrue(List.of("ct", "deconvolution").contains(m.get("task").getAsString()));
            } else {
                denoisers++;
            }
            assertTrue(m.get("certified_bound").getAsDouble() <= 1.001);
        }
        assertEquals(2, regularisers);
        assertTrue(denoisers >= 4);
    }

    @Test
    void trainRegulariserWritesACertifiedRegulariserFile(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        var list = TinyModels.smoothImages(2, 40, 3);
        for (int i = 0; i < list.size(); i++) {
            ImageFiles.writeTiff(FloatImages.wrap(list.get(i).data(), 40, 40), ImageCalibration.NONE,
                    images.resolve("im" + i + ".tif"), ImageFiles.WriteOptions.overwriting());
        }
        Path out = dir.resolve("reg.lpnp.zip");
        CliTestSupport.Result r = CliTestSupport.run("train-regulariser", "--task", "deconvolution", "--images",
                images.toString(), "--out", out.toString(), "--width", "4", "--depth", "1", "--patch", "16",
                "--batch", "4", "--steps", "3", "--psf-sigma", "1.5", "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.json().get("certified_bound").getAsDouble() <= 1.001);
        ModelArchive a = ModelArchive.read(out);
        assertEquals(ModelSpec.KIND_REGULARIZER, a.spec().kind());
        assertEquals("deconvolution", a.spec().task());
        assertTrue(a.spec().training().get("command").toString().startsWith("lpnp train-regulariser --task deconvolution"));
        // a regulariser is not a denoiser: refused with a message saying what it is
        CliTestSupport.Result d = CliTestSupport.run("denoise", images.resolve("im0.tif").toString(),
                dir.resolve("den.tif").toString(), "--model", out.toString());
        assertEquals(2, d.exitCode(), d.err());
        assertTrue(d.err().contains("learned regulariser"), d.err());
    }

    @Test
    void deconvolveWithTheLearnedRegulariser(@TempDir Path dir) throws Exception {
        var img = TinyModels.smoothImages(1, 32, 4).get(0);
        Path in = dir.resolve("in.tif");
        ImageFiles.writeTiff(FloatImages.wrap(img.data(), 32, 32), ImageCalibration.NONE, in,
                ImageFiles.WriteOptions.overwriting());
        Path out = dir.resolve("out.tif");
        CliTestSupport.Result r = CliTestSupport.run("deconvolve", in.toString(), out.toString(), "--psf-gaussian", "1.5",
                "--method", "adversarial-reg", "--lambda", "0.001", "--iterations", "3", "--quiet", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("advreg_deconvolution", r.json().get("model").getAsString());
        assertTrue(Files.exists(out));
        // a denoiser given as the regulariser is refused with a clear message
        CliTestSupport.Result bad = CliTestSupport.run("deconvolve", in.toString(), dir.resolve("o2.tif").toString(),
                "--psf-gaussian", "1.5", "--method", "adversarial-reg", "--model", "gauss15", "--iterations", "2");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("not a learned regulariser"), bad.err());
    }
}
