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
}
