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

    /**
     * A resumed run trains the checkpoint's weights further: the saved model is not the checkpoint,
     * and validation (inference mode) does not collapse after the resume. Both failed before the
     * fix: the trainer kept updating the arrays made by its own initialisation, the loaded
     * weights were never trained, and the power-iteration state belonged to the other weights.
     */
    @Test
    void aResumedRunTrainsTheLoadedWeights() throws Exception {
        List<PatchSampler.Image2D> train = TinyModels.smoothImages(3, 48, 1);
        List<PatchSampler.Image2D> val = TinyModels.smoothImages(1, 48, 2);
        Path ckpt = dir.resolve("r.ckpt.zip");
        assertThrows(CancellationException.class, () -> new DenoiserTrainer(config(40, 10, 20), Device.cpu())
                .train(train, val, ckpt, p -> p.step() < 20));
        byte[] atCheckpoint = ModelArchive.read(ckpt).parameters();
        double before = DenoiserTrainer.historyOf(ModelArchive.read(ckpt).spec().training().get("history")).get(1)
                .validationPsnr();
        DenoiserTrainer.Result r = new DenoiserTrainer(config(40, 10, 20), Device.cpu()).train(train, val, ckpt, null);
        try (DenoiserModel m = r.model(); ai.djl.ndarray.NDManager mgr = ai.djl.ndarray.NDManager.newBaseManager()) {
            var fromCheckpoint = DenoiserModel.buildNetwork(config(40, 10, 20).architecture());
            fromCheckpoint.initialize(mgr, ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 1, 16, 16));
            DenoiserModel.loadParameters(fromCheckpoint, atCheckpoint, mgr);
            float[] liftAtCheckpoint = fromCheckpoint.getParameters().get(0).getValue().getArray().toFloatArray();
            float[] liftTrained = m.network().getParameters().get(0).getValue().getArray().toFloatArray();
            double change = 0;
            double drift = 0;
            float[] liftFresh;
            try (var fresh = TinyModels.train(1, null)) {
                liftFresh = fresh.network().getParameters().get(0).getValue().getArray().toFloatArray();
            }
            for (int i = 0; i < liftTrained.length; i++) {
                change += Math.abs(liftTrained[i] - liftAtCheckpoint[i]);
                drift += Math.abs(liftTrained[i] - liftFresh[i]);
            }
            assertTrue(change > 0, "the resumed run changed the loaded weights");
            assertTrue(change < drift, "the resumed weights stay near the checkpoint (" + change
                    + ") rather than near a fresh start (" + drift + ")");
            for (DenoiserTrainer.HistoryPoint h : r.history().subList(2, 4)) {
                assertTrue(h.validationPsnr() > before - 1, "validation after the resume: " + h + " vs " + before);
            }
            assertTrue(r.finalValidationPsnr() > before - 1, r.finalValidationPsnr() + " vs " + before);
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
