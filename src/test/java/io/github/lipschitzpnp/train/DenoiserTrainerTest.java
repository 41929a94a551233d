package io.github.lipschitzpnp.train;

import ai.djl.Device;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.TinyModels;
import io.github.lipschitzpnp.nn.DnCnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenoiserTrainerTest {

    @TempDir
    Path dir;

    private static DenoiserTrainer.Config config(int steps, int validateEvery, int checkpointEvery) {
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, 4, 4, 2, 3, "relu", 0.9, true);
        return new DenoiserTrainer.Config("t", arch, NoiseModel.gaussian(0.1), 16, 4, steps, 0.005, 3,
                validateEvery, checkpointEvery);
    }

    @Test
    void historyIsRecordedAtEachValidationAndSurvivesAResume() throws Exception {
        List<PatchSampler.Image2D> train = TinyModels.smoothImages(3, 48, 1);
        List<PatchSampler.Image2D> val = TinyModels.smoothImages(1, 48, 2);
        Path ckpt = dir.resolve("t.ckpt.zip");
        // Stop after step 4 (checkpoint at 4), then resume to 8.
        assertThrows(CancellationException.class, () -> new DenoiserTrainer(config(8, 2, 4), Device.cpu())
                .train(train, val, ckpt, p -> p.step() < 4));
        List<DenoiserTrainer.HistoryPoint> saved = DenoiserTrainer.historyOf(
                ModelArchive.read(ckpt).spec().training().get("history"));
        assertEquals(List.of(2, 4), saved.stream().map(DenoiserTrainer.HistoryPoint::step).toList());
        DenoiserTrainer.Result r = new DenoiserTrainer(config(8, 2, 4), Device.cpu()).train(train, val, ckpt, null);
        try (DenoiserModel m = r.model()) {
            assertEquals(List.of(2, 4, 6, 8), r.history().stream().map(DenoiserTrainer.HistoryPoint::step).toList());
            for (DenoiserTrainer.HistoryPoint h : r.history()) {
                assertTrue(h.meanLoss() > 0 && Double.isFinite(h.validationPsnr()), h.toString());
            }
            assertEquals(4, DenoiserTrainer.historyOf(m.spec().training().get("history")).size());
        }
    }

    @Test
    void anUnconstrainedBaselineTrainsOnTheSameStreamAndImproves() {
        DenoiserTrainer trainer = new DenoiserTrainer(config(60, 20, 0), Device.cpu());
        DenoiserTrainer.BaselineResult r = trainer.trainBaseline(DnCnn.build(8, 3, 3), TinyModels.smoothImages(3, 48, 1),
                TinyModels.smoothImages(1, 48, 2), null);
        try (var model = r.model()) {
            assertEquals(3, r.history().size());
            assertTrue(r.finalValidationPsnr() > r.noisyValidationPsnr(),
                    r.finalValidationPsnr() + " dB vs noisy " + r.noisyValidationPsnr());
        }
        assertEquals(9 * 8 + 8 + 9 * 8 * 8 + 8 + 9 * 8 + 1, DnCnn.parameterCount(8, 3, 3));
    }
}
