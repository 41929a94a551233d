package io.github.lipschitzpnp.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling training: it stops at the next step, says truthfully what was saved, and leaves no partial file. */
class TrainingCancelTest {

    @TempDir
    Path dir;

    static DenoiserTrainer trainer(int steps, int checkpointEvery) {
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, 4, 4, 1, 3, "relu", 0.9, true);
        return new DenoiserTrainer(new DenoiserTrainer.Config("tiny", arch, NoiseModel.gaussian(0.05), 16, 2, steps,
                0.005, 3, 0, checkpointEvery), Device.cpu());
    }

    List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void cancelBeforeTheFirstCheckpointSaysNothingWasSaved() throws Exception {
        Path ckpt = dir.resolve("m.ckpt.zip");
        int[] seen = {0};
        CancellationException e = assertThrows(CancellationException.class, () -> trainer(50, 100).train(
                TinyModels.smoothImages(2, 32, 1), TinyModels.smoothImages(1, 32, 2), ckpt, p -> ++seen[0] < 2));
        assertEquals(2, seen[0], "stopped at the step after the cancel");
        assertFalse(Files.exists(ckpt));
        assertTrue(e.getMessage().contains("before the first checkpoint was written"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains("the last checkpoint is"), e.getMessage());
        assertEquals(List.of(), listing(), "no file, no temporary file");
    }

    @Test
    void cancelAfterACheckpointKeepsItLoadableAndNamesItsStep() throws Exception {
        Path ckpt = dir.resolve("m.ckpt.zip");
        CancellationException e = assertThrows(CancellationException.class, () -> trainer(50, 2).train(
                TinyModels.smoothImages(2, 32, 1), TinyModels.smoothImages(1, 32, 2), ckpt, p -> p.step() < 3));
        assertTrue(e.getMessage().contains("the last checkpoint is " + ckpt + " (step 2)"), e.getMessage());
        assertEquals(2, ((Number) ModelArchive.read(ckpt).spec().training().get("step")).intValue());
        assertEquals(List.of("m.ckpt.zip"), listing(), "only the checkpoint, no temporary file");
    }
}
