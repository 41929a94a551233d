package io.github.lipschitzpnp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.BadImages;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lpnp train}: a certified model, its activation, and the command recorded in it. */
class TrainCommandTest {

    @TempDir
    Path dir;

    private ModelSpec train(String name, String... extra) throws Exception {
        Path images = java.nio.file.Files.createDirectories(dir.resolve("images"));
        BadImages.good(images, "a.tif");
        BadImages.good(images, "b.tif");
        BadImages.good(images, "c.tif");
        Path out = dir.resolve(name + ".lpnp.zip");
        String[] base = {"train", "--images", images.toString(), "-o", out.toString(), "--steps", "2", "--width", "4",
            "--depth", "2", "--patch", "16", "--batch", "2", "--device", "cpu", "--quiet", "--json"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        var r = CliTestSupport.run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.json().get("certified_bound").getAsDouble() <= 1 + 1e-3, r.out());
        return ModelArchive.read(out).spec();
    }

    @Test
    void theDefaultIsTheLearnedThresholdShrinkAndTheRecordNamesIt() throws Exception {
        ModelSpec spec = train("default");
        assertEquals("shrink:0.02", spec.architecture().activation());
        String command = spec.training().get("command").toString();
        assertTrue(command.contains("--activation shrink:0.02"), command);
    }

    @Test
    void reluOnRequest() throws Exception {
        ModelSpec spec = train("relu", "--activation", "relu");
        assertEquals("relu", spec.architecture().activation());
        assertTrue(spec.training().get("command").toString().contains("--activation relu"));
    }
}
