package io.github.lipschitzpnp.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example scripts. No Groovy engine is on the test classpath, so the Groovy example is checked
 * through the Java API it calls (and its imports must resolve); the macro example through the
 * bridge with its option string.
 */
class ScriptsTest {

    static final Path SCRIPTS = Path.of("plugins", "Scripts", "Plugins", "Lipschitz_PnP");

    @TempDir
    Path dir;

    @Test
    void groovyBatchExampleImportsResolveAndItsBatchCallWorksWithoutOverwriting() throws Exception {
        String groovy = Files.readString(SCRIPTS.resolve("Batch_Deconvolve_Folder.groovy"));
        Matcher m = Pattern.compile("(?m)^import ([\\w.]+)$").matcher(groovy);
        int imports = 0;
        while (m.find()) {
            Class.forName(m.group(1));
            imports++;
        }
        assertTrue(imports >= 5, "imports found: " + imports);
        assertTrue(groovy.contains("BatchDeconvolution.run(inputDir.toPath(), outputDir.toPath(), null, optics,"));

        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        IJ.saveAsTiff(FijiTestImages.cell(32, 16), in.resolve("a.tif").toString());
        IJ.saveAsTiff(FijiTestImages.cell(40, 16), in.resolve("b.tif").toString());
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Optics optics = new Optics(Optics.Model.BORN_WOLF, 1.4, 520, 1.518);
        Jobs.Solve solve = new Jobs.Solve(Method.RICHARDSON_LUCY, 3, 1e-5, 0.01, Models.FROM_FILE, null, "cpu");
        List<BatchDeconvolution.Item> items = BatchDeconvolution.run(in, out, null, optics, Boundary.REFLECTIVE, solve);
        assertEquals(2, items.size());
        assertEquals("done", items.get(0).status());
        ImagePlus written = IJ.openImage(out.resolve("a-Richardson-Lucy-3it.tif").toString());
        assertEquals(32, written.getWidth());
        assertEquals(0.1, written.getCalibration().pixelWidth, 1e-9, "calibration saved with the result");
        byte[] before = Files.readAllBytes(out.resolve("a-Richardson-Lucy-3it.tif"));
        List<BatchDeconvolution.Item> again = BatchDeconvolution.run(in, out, null, optics, Boundary.REFLECTIVE, solve);
        assertTrue(again.get(0).status().startsWith("skipped"), again.get(0).status());
        assertEquals(before.length, Files.readAllBytes(out.resolve("a-Richardson-Lucy-3it.tif")).length);
    }

    /** The IJ1 bridge's CT dialog defaults to PnP-ADMM with Rho 0 = by model, as the SciJava command. */
    @Test
    void ctBridgeDefaultsToPnpAdmmWithThePenaltyOfItsModel() throws Exception {
        ImagePlus ct = io.github.lipschitzpnp.image.ImageFiles.openImagePlus(FijiTestImages.EVAL.resolve("ct_small_mu_128.tif"));
        ImagePlus original = new ImagePlus("ct", ct.getProcessor().convertToFloat().resize(48, 48, true));
        ImagePlus sinogram = io.github.lipschitzpnp.image.ImagePlusBridge.toImagePlus(
                io.github.lipschitzpnp.pipeline.Simulation.sinogram(io.github.lipschitzpnp.image.ImagePlusBridge.toImg(original),
                        io.github.lipschitzpnp.pipeline.Angles.uniform(30)), "sino", null);
        String common = "model=[" + Models.FROM_FILE + "] model_file=[" + TinyModel.file() + "] iterations=3 device=cpu";
        BridgePlugIn.Outcome byDefault = new ReconstructCtPlugIn().runMacro(common, sinogram, t -> null);
        assertTrue(byDefault.result().summary().contains("PnP-ADMM"), byDefault.result().summary());
        double byModel;
        try (io.github.lipschitzpnp.model.DenoiserModel tiny = io.github.lipschitzpnp.model.DenoiserModel.load(
                TinyModel.file(), ai.djl.Device.cpu())) {
            byModel = io.github.lipschitzpnp.pipeline.Reconstruction.Settings.ctPenalty(tiny.noiseSigma());
        }
        float[] d = FijiTestImages.pixels(byDefault.images().get(0))[0];
        float[] explicit = FijiTestImages.pixels(new ReconstructCtPlugIn().runMacro(common + " rho=" + byModel, sinogram,
                t -> null).images().get(0))[0];
        float[] rho1 = FijiTestImages.pixels(new ReconstructCtPlugIn().runMacro(common + " rho=1", sinogram,
                t -> null).images().get(0))[0];
        assertTrue(OtherCommandsTest.distance(rho1, d) > 10 * OtherCommandsTest.distance(explicit, d),
                OtherCommandsTest.distance(rho1, d) + " vs " + OtherCommandsTest.distance(explicit, d));
    }

    @Test
    void ctMacroExampleRunsThroughTheBridgeAndTvBeatsFbp() throws Exception {
        String macro = Files.readString(SCRIPTS.resolve("CT_Simulate_And_Reconstruct.ijm"));
        Matcher m = Pattern.compile("run\\(\"([^\"]+)\", \"([^\"]*)\"").matcher(macro);
        List<String> options = new java.util.ArrayList<>();
        while (m.find()) {
            options.add(m.group(2));
        }
        assertEquals(3, options.size(), options.toString());
        ImagePlus ct = io.github.lipschitzpnp.image.ImageFiles.openImagePlus(FijiTestImages.EVAL.resolve("ct_small_mu_128.tif"));
        ImagePlus original = new ImagePlus("ct", ct.getProcessor().convertToFloat().resize(64, 64, true));
        ImagePlus sinogram = new SimulatePlugIn().runMacro(options.get(0), original, t -> null).images().get(0);
        assertEquals(60, sinogram.getHeight());
        ImagePlus fbp = new ReconstructCtPlugIn().runMacro(options.get(1), sinogram, t -> null).images().get(0);
        BridgePlugIn.Outcome tv = new ReconstructCtPlugIn().runMacro(options.get(2) + "ct]", sinogram,
                t -> t.equals("ct") ? original : null);
        var ref = io.github.lipschitzpnp.image.ImagePlusBridge.toImg(original);
        double psnrFbp = io.github.lipschitzpnp.solve.Metrics.psnr(io.github.lipschitzpnp.image.ImagePlusBridge.toImg(fbp), ref);
        double psnrTv = tv.result().volumes().get(0).psnr();
        assertTrue(psnrTv > psnrFbp, "TV " + psnrTv + " vs FBP " + psnrFbp);
        assertTrue(tv.plot() && tv.table());
    }

    @Test
    void macroExampleOptionsRunThroughTheBridge() throws Exception {
        String macro = Files.readString(SCRIPTS.resolve("Deconvolve_Open_Image.ijm"));
        Matcher m = Pattern.compile("options = \"([^\"]*)\"\\s*\\+\\s*\"([^\"]*)\";").matcher(macro);
        assertTrue(m.find(), "options line");
        String options = m.group(1) + m.group(2);
        ImagePlus cell = FijiTestImages.cell(32, 16);
        BridgePlugIn.Outcome o = new DeconvolvePlugIn().runMacro(options, cell, t -> null);
        assertEquals("cell-Richardson-Lucy-20it", o.images().get(0).getTitle());
        assertTrue(o.images().get(0).getInfoProperty().contains("Born & Wolf PSF, NA 1.4"));
    }
}
