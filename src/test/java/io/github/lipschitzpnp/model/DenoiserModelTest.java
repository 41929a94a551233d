package io.github.lipschitzpnp.model;

import ai.djl.Device;
import io.github.lipschitzpnp.cli.CliTestSupport;
import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenoiserModelTest {

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void trainAndSave() throws Exception {
        file = dir.resolve("tiny.lpnp.zip");
        try (DenoiserModel m = TinyModels.train(6, dir.resolve("tiny.ckpt.zip"))) {
            m.save(file);
        }
    }

    @AfterAll
    static void nothing() {
    }

    @Test
    void reloadedModelIsRecertifiedAndDenoisesLikeBefore() throws Exception {
        try (DenoiserModel a = DenoiserModel.load(file, Device.cpu()); DenoiserModel b = DenoiserModel.load(file, Device.cpu())) {
            assertTrue(a.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND);
            assertTrue(a.certificate().empiricalLowerBound() <= a.certificate().certifiedBound() + 1e-4);
            assertEquals(a.spec().certificate().certifiedBound(), a.certificate().certifiedBound(), 1e-9);
            Img<FloatType> x = FloatImages.wrap(TinyModels.smoothImages(1, 40, 9).get(0).data(), 40, 40);
            float[] before = FloatImages.copyData(x);
            float[] ya = FloatImages.copyData(new NetworkDenoiser(a).denoise(x));
            float[] yb = FloatImages.copyData(new NetworkDenoiser(b, 24).denoise(x));
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(FloatImages.copyData(x)),
                    "input untouched");
            double maxDiff = 0;
            for (int i = 0; i < ya.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(ya[i] - yb[i]));
            }
            // Tiles are blended over their overlap; a pixel near a seam sees a little of the tile edge.
            assertTrue(maxDiff < 0.02, "tiled and whole-image denoising agree: " + maxDiff);
        }
    }

    @Test
    void aShrinkModelLearnsItsThresholdsAndSurvivesSaveAndLoad() throws Exception {
        Path shrinkFile = dir.resolve("tiny-shrink.lpnp.zip");
        Img<FloatType> x = FloatImages.wrap(TinyModels.smoothImages(1, 40, 9).get(0).data(), 40, 40);
        float[] trained;
        try (DenoiserModel m = TinyModels.train(6, dir.resolve("tiny-shrink.ckpt.zip"), "shrink:0.05")) {
            assertEquals("shrink:0.05", m.spec().architecture().activation());
            float[] logT = m.network().blocks().get(0).getParameters().get("log_threshold").getArray().toFloatArray();
            double moved = 0;
            for (float v : logT) {
                moved = Math.max(moved, Math.abs(v - Math.log(0.05)));
            }
            assertTrue(moved > 1e-4, "the thresholds were trained: largest change of log t " + moved);
            trained = FloatImages.copyData(new NetworkDenoiser(m).denoise(x));
            m.save(shrinkFile);
        }
        try (DenoiserModel back = DenoiserModel.load(shrinkFile, Device.cpu())) {
            assertTrue(back.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND);
            assertTrue(back.certificate().empiricalLowerBound() <= back.certificate().certifiedBound() + 1e-4);
            org.junit.jupiter.api.Assertions.assertArrayEquals(trained,
                    FloatImages.copyData(new NetworkDenoiser(back).denoise(x)), 1e-6f, "same outputs after loading");
        }
    }

    private static Path rewrite(String name, String json, byte[] params) throws Exception {
        Path out = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry(ModelArchive.SPEC_ENTRY));
            zip.write(json.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(ModelArchive.PARAMETERS_ENTRY));
            zip.write(params);
            zip.closeEntry();
        }
        return out;
    }

    /** The parameters with every lift weight multiplied by 3 (the stream re-serialised by DJL). */
    private static byte[] scaledParameters() throws Exception {
        try (DenoiserModel m = DenoiserModel.load(file, Device.cpu())) {
            var lift = m.network().getParameters().get(0).getValue().getArray();
            lift.muli(3f);
            return DenoiserModel.parameterBytes(m.network());
        }
    }

    @Test
    void weightsScaledByHandAreRefusedByTheChecksum() throws Exception {
        ModelArchive a = ModelArchive.read(file);
        Path tampered = rewrite("scaled.lpnp.zip", a.specJson(), scaledParameters());
        var e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(tampered, Device.cpu()));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void scaledWeightsWithAForgedChecksumAreRefusedByTheRecomputedCertificate() throws Exception {
        ModelArchive a = ModelArchive.read(file);
        byte[] scaled = scaledParameters();
        String json = a.specJson().replace(a.spec().parametersSha256(), ModelArchive.sha256(scaled));
        Path forged = rewrite("forged.lpnp.zip", json, scaled);
        // The architecture normalises every weight by its rigorous norm bound when it is frozen, so
        // scaled weights cannot make the network expansive; they do change the recomputed
        // certificate, which then disagrees with the one model.json claims: refused.
        var e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(forged, Device.cpu()));
        assertTrue(e.getMessage().contains("claims a certified bound"), e.getMessage());
    }

    @Test
    void aConfigThatLiesAboutItsCertificateIsRefused() throws Exception {
        ModelArchive a = ModelArchive.read(file);
        String json = a.specJson().replaceFirst("\"certified_bound\": [0-9.eE-]+", "\"certified_bound\": 0.5");
        Path liar = rewrite("liar.lpnp.zip", json, a.parameters());
        var e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(liar, Device.cpu()));
        assertTrue(e.getMessage().contains("claims a certified bound"), e.getMessage());
    }

    @Test
    void tauAboveOneIsRefused() throws Exception {
        ModelArchive a = ModelArchive.read(file);
        String json = a.specJson().replaceFirst("\"tau\": [0-9.]+", "\"tau\": 1.5");
        Path bad = rewrite("tau.lpnp.zip", json, a.parameters());
        var e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(bad, Device.cpu()));
        assertTrue(e.getMessage().contains("tau in (0, 1]"), e.getMessage());
    }

    @Test
    void nanWeightsAreRefused() throws Exception {
        byte[] nanParams;
        try (DenoiserModel m = DenoiserModel.load(file, Device.cpu())) {
            m.network().getParameters().get(0).getValue().getArray().muli(Float.NaN);
            nanParams = DenoiserModel.parameterBytes(m.network());
        }
        ModelArchive a = ModelArchive.read(file);
        String json = a.specJson().replace(a.spec().parametersSha256(), ModelArchive.sha256(nanParams));
        Path bad = rewrite("nan.lpnp.zip", json, nanParams);
        var e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(bad, Device.cpu()));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void certifyCommandPrintsTheContractJson() {
        var r = CliTestSupport.run("certify", file.toString(), "--json", "--device", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        var j = r.json();
        assertTrue(j.get("certified_bound").getAsDouble() <= 1.001);
        assertTrue(j.has("empirical_bound") && j.has("noise_sigma") && j.has("parameters"));
        var bad = CliTestSupport.run("certify", dir.resolve("missing.lpnp.zip").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("does not exist"), bad.err());
    }

    @Test
    void resumeContinuesFromTheCheckpoint() throws Exception {
        Path ckpt = dir.resolve("resume.ckpt.zip");
        // Train 4 steps writing checkpoints every 2, then "resume" a 6-step run from it.
        try (DenoiserModel ignored = TinyModels.train(4, ckpt)) {
            assertTrue(Files.exists(ckpt));
        }
        ModelArchive c = ModelArchive.read(ckpt);
        assertEquals(4, ((Number) c.spec().training().get("step")).intValue());
        try (DenoiserModel m = TinyModels.train(6, ckpt)) {
            assertEquals(6, ((Number) ModelArchive.read(ckpt).spec().training().get("step")).intValue());
            assertTrue(m.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND);
        }
        new ByteArrayOutputStream().close();
    }
}
