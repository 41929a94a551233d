package io.github.lipschitzpnp.fiji;

import io.github.lipschitzpnp.model.ModelArchive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Simulation;
import io.github.lipschitzpnp.solve.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.module.Module;

class OtherCommandsTest {

    @TempDir
    Path dir;

    static Module run(Class<? extends org.scijava.command.Command> c, Object... inputs) throws Exception {
        Module m = FijiTestSupport.run(c, inputs);
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        return m;
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void denoiseIsOneCertifiedPassThatNeverAmplifiesDifferencesBetweenFrames() throws Exception {
        // Two frames that differ inside, with the same min and max, so both get the same [0, 1] scaling.
        ImagePlus cell = FijiTestImages.cell(48, 16);
        ImageProcessor a = cell.getProcessor();
        ImageProcessor b = a.duplicate();
        for (int y = 10; y < 30; y++) {
            for (int x = 12; x < 30; x++) {
                b.set(x, y, (int) ((a.get(x, y) + 30000) / 2));
            }
        }
        b.set(0, 0, 0);
        a.set(0, 0, 0);
        b.set(1, 0, 65535);
        a.set(1, 0, 65535);
        ImageStack st = new ImageStack(48, 48);
        st.addSlice("t1", a);
        st.addSlice("t2", b);
        ImagePlus imp = new ImagePlus("movie.tif", st);
        imp.setDimensions(1, 1, 2);
        imp.setCalibration(cell.getCalibration());
        Module m = run(DenoiseCommand.class, "image", imp, "model", Models.FROM_FILE, "modelFile",
                TinyModel.file().toFile(), "device", "cpu");
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertEquals("movie-denoised-tiny", out.getTitle());
        assertEquals(2, out.getNFrames());
        assertEquals(32, out.getBitDepth());
        assertEquals("micron", out.getCalibration().getUnit());
        float[][] in = FijiTestImages.pixels(imp);
        float[][] res = FijiTestImages.pixels(out);
        double dIn = distance(in[0], in[1]);
        double dOut = distance(res[0], res[1]);
        assertTrue(dIn > 0);
        assertTrue(dOut <= dIn * (1 + 2e-3), dIn + " -> " + dOut);
        assertTrue(distance(in[0], res[0]) > 0, "the denoiser changed the image");
    }

    @Test
    void generatePsfGivesACalibratedNormalisedStack() throws Exception {
        Module m = run(GeneratePsfCommand.class, "model", "Born & Wolf", "na", 1.4, "wavelength", 520.0,
                "refractiveIndex", 1.518, "pixelSize", 65.0, "zStep", 200.0, "size", 17, "planes", 5);
        ImagePlus psf = (ImagePlus) m.getOutput("result");
        assertEquals(17, psf.getWidth());
        assertEquals(5, psf.getNSlices());
        assertEquals(0.065, psf.getCalibration().pixelWidth, 1e-12);
        assertEquals(0.2, psf.getCalibration().pixelDepth, 1e-12);
        double sum = 0;
        float max = 0;
        int argmax = -1;
        float[][] planes = FijiTestImages.pixels(psf);
        for (int z = 0; z < planes.length; z++) {
            for (int i = 0; i < planes[z].length; i++) {
                sum += planes[z][i];
                if (planes[z][i] > max) {
                    max = planes[z][i];
                    argmax = z * 289 + i;
                }
            }
        }
        assertEquals(1, sum, 1e-4);
        assertEquals(2 * 289 + 8 * 17 + 8, argmax, "peak at the centre voxel");
    }

    @Test
    void simulateBlurSinogramAndMaskMatchThePipeline() throws Exception {
        ImagePlus clean = FijiTestImages.cell(48, 16);
        Module blur = run(SimulateCommand.class, "image", clean, "acquisition", SimulateCommand.BLUR_GAUSSIAN,
                "blurSigma", 1.5, "noise", "Gaussian", "level", 0.02, "seed", 7L);
        ImagePlus blurred = (ImagePlus) blur.getOutput("result");
        assertEquals("cell-blurred", blurred.getTitle());
        Img<FloatType> x = ImagePlusBridge.toImg(clean);
        Img<FloatType> expected = Simulation.noise(Simulation.blur(x, Psf.gaussian2D(1.5, 13), Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.02, Scaling.minMax(x), 7);
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(ImagePlusBridge.toImg(blurred)), 0f);

        Module sino = run(SimulateCommand.class, "image", clean, "acquisition", SimulateCommand.SINOGRAM,
                "angles", 30, "noise", "None");
        ImagePlus s = (ImagePlus) sino.getOutput("result");
        assertEquals(48, s.getWidth());
        assertEquals(30, s.getHeight());

        Module mask = run(SimulateCommand.class, "image", clean, "acquisition", SimulateCommand.MASK,
                "missing", 0.4, "noise", "None", "seed", 3L);
        ImagePlus masked = (ImagePlus) mask.getOutput("result");
        ImagePlus m = (ImagePlus) mask.getOutput("maskImage");
        float[] mv = FijiTestImages.pixels(m)[0];
        float[] xv = FijiTestImages.pixels(masked)[0];
        float[] cv = FijiTestImages.pixels(clean)[0];
        int missing = 0;
        for (int i = 0; i < mv.length; i++) {
            assertEquals(mv[i] == 0 ? 0f : cv[i], xv[i]);
            missing += mv[i] == 0 ? 1 : 0;
        }
        assertEquals(0.4, missing / (double) mv.length, 0.05);
    }

    @Test
    void inpaintingFillsTheMissingPixels() throws Exception {
        ImagePlus clean = FijiTestImages.cell(48, 32);
        Module sim = run(SimulateCommand.class, "image", clean, "acquisition", SimulateCommand.MASK,
                "missing", 0.5, "noise", "None", "seed", 5L);
        ImagePlus masked = (ImagePlus) sim.getOutput("result");
        ImagePlus mask = (ImagePlus) sim.getOutput("maskImage");
        Module m = run(InpaintCommand.class, "image", masked, "mask", mask, "method", "TV (PDHG)", "iterations", 60,
                "lambda", 0.002, "useReference", true, "reference", clean);
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertEquals("cell-masked-TV_(PDHG)-60it", out.getTitle());
        Img<FloatType> ref = ImagePlusBridge.toImg(clean);
        double before = Metrics.psnr(ImagePlusBridge.toImg(masked), ref);
        double after = Metrics.psnr(ImagePlusBridge.toImg(out), ref);
        assertTrue(after > before + 5, before + " -> " + after);
        assertEquals(after, ((InpaintCommand) m).outcome.volumes().get(0).psnr(), 1e-3);
    }

    /** A 64^2 crop of the real CT slice and its 45-angle sinogram. */
    static ImagePlus[] ctPair() {
        ImagePlus ct = ImageFiles.openImagePlus(FijiTestImages.EVAL.resolve("ct_small_mu_128.tif"));
        ImagePlus small = new ImagePlus("ct.tif", ct.getProcessor().convertToFloat().resize(64, 64, true));
        Img<FloatType> sino = Simulation.sinogram(ImagePlusBridge.toImg(small), Angles.uniform(45));
        return new ImagePlus[] {small, ImagePlusBridge.toImagePlus(sino, "ct-sinogram.tif", null)};
    }

    @Test
    void ctReconstructionDefaultsToPnpAdmmWithThePenaltyOfItsModel() throws Exception {
        ImagePlus[] pair = ctPair();
        Object[] common = {"sinogram", pair[1], "iterations", 3, "model", Models.FROM_FILE, "modelFile",
            TinyModel.file().toFile(), "device", "cpu", "useReference", false};
        ReconstructCtCommand byDefault = (ReconstructCtCommand) run(ReconstructCtCommand.class, common);
        assertTrue(byDefault.outcome.summary().contains("PnP-ADMM"), byDefault.outcome.summary());
        float[] d = FijiTestImages.pixels(byDefault.outcome.image())[0];
        double byModel;
        try (io.github.lipschitzpnp.model.DenoiserModel tiny = io.github.lipschitzpnp.model.DenoiserModel.load(
                TinyModel.file(), ai.djl.Device.cpu())) {
            byModel = io.github.lipschitzpnp.pipeline.Reconstruction.Settings.ctPenalty(tiny.noiseSigma());
        }
        float[] explicit = FijiTestImages.pixels(((ReconstructCtCommand) run(ReconstructCtCommand.class,
                append(common, "method", "PnP-ADMM", "rho", byModel))).outcome.image())[0];
        float[] rho1 = FijiTestImages.pixels(((ReconstructCtCommand) run(ReconstructCtCommand.class,
                append(common, "method", "PnP-ADMM", "rho", 1.0))).outcome.image())[0];
        // The tiny model file loads with float differences of up to 4e-4 between loads (see
        // ReconstructionCommandsTest), so "equal" means far closer than rho 1 is.
        assertTrue(distance(rho1, d) > 10 * distance(explicit, d), "rho 1 and the model's " + byModel + " should differ: "
                + distance(rho1, d) + " vs " + distance(explicit, d));
    }

    @Test
    void ctDefaultModelIsTheOneLpnpReconstructPicks() throws Exception {
        ImagePlus[] pair = ctPair();
        ReconstructCtCommand auto = (ReconstructCtCommand) run(ReconstructCtCommand.class, "sinogram", pair[1],
                "iterations", 1, "device", "cpu", "useReference", false);
        assertEquals(Models.AUTO, auto.model, "the dialog's default");
        Path sino = dir.resolve("ct-sinogram-auto.tif");
        ImageFiles.writeTiff(pair[1], sino, ImageFiles.WriteOptions.overwriting());
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        try {
            System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, io.github.lipschitzpnp.cli.Lpnp.commandLine().execute("reconstruct", sino.toString(),
                    dir.resolve("ct-cli.tif").toString(), "--angles", "45", "--iterations", "1", "--json", "--quiet",
                    "--force"));
        } finally {
            System.setOut(old);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"model\":\"([^\"]+)\"").matcher(buf.toString(
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(m.find(), buf.toString(java.nio.charset.StandardCharsets.UTF_8));
        String info = auto.outcome.image().getInfoProperty();
        assertTrue(info.contains("model '" + m.group(1) + "'"), "CLI picked " + m.group(1) + "; Fiji: " + info);
    }

    private static Object[] append(Object[] a, Object... more) {
        Object[] o = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, o, a.length, more.length);
        return o;
    }

    @Test
    void ctReconstructionWithFbpAndTvAndAnAnglesFile() throws Exception {
        ImagePlus[] pair = ctPair();
        Module fbp = run(ReconstructCtCommand.class, "sinogram", pair[1], "method", "FBP", "useReference", false);
        ImagePlus f = (ImagePlus) fbp.getOutput("result");
        assertEquals("ct-sinogram-FBP", f.getTitle());
        assertEquals(64, f.getWidth());
        Path angles = dir.resolve("angles.txt");
        StringBuilder sb = new StringBuilder("# degrees\n");
        for (double a : Angles.uniform(45)) {
            sb.append(a).append('\n');
        }
        Files.writeString(angles, sb.toString());
        Module tv = run(ReconstructCtCommand.class, "sinogram", pair[1], "angles", angles.toFile(), "method",
                "TV (PDHG)", "iterations", 40, "lambda", 0.001, "useReference", true, "reference", pair[0]);
        ImagePlus t = (ImagePlus) tv.getOutput("result");
        assertEquals("ct-sinogram-TV_(PDHG)-40it", t.getTitle());
        Img<FloatType> ref = ImagePlusBridge.toImg(pair[0]);
        double psnrFbp = Metrics.psnr(ImagePlusBridge.toImg(f), ref);
        double psnrTv = Metrics.psnr(ImagePlusBridge.toImg(t), ref);
        assertTrue(psnrFbp > 15, "FBP " + psnrFbp);
        assertTrue(psnrTv > psnrFbp, "TV " + psnrTv + " vs FBP " + psnrFbp);
        assertEquals(psnrTv, ((ReconstructCtCommand) tv).outcome.volumes().get(0).psnr(), 1e-3);

        Files.writeString(angles, "0 45 90\n");
        Module bad = FijiTestSupport.run(ReconstructCtCommand.class, "sinogram", pair[1], "angles", angles.toFile(),
                "method", "FBP");
        assertTrue(FijiTestSupport.canceled(bad));
        assertTrue(FijiTestSupport.cancelReason(bad).contains("3 angles but the sinogram has 45 rows"),
                FijiTestSupport.cancelReason(bad));
    }

    @Test
    void trainDenoiserWritesACertifiedModelAndNeverOverwritesIt() throws Exception {
        ImageStack st = new ImageStack(40, 40);
        for (int i = 0; i < 3; i++) {
            ImagePlus crop = FijiTestImages.cell(40 + 8 * i, 16);
            crop.getProcessor().setRoi(0, 0, 40, 40);
            st.addSlice(null, crop.getProcessor().crop());
        }
        ImagePlus imp = new ImagePlus("train.tif", st);
        Path out = dir.resolve("mine.lpnp.zip");
        Module m = run(TrainDenoiserCommand.class, "images", imp, "output", out.toFile(), "sigma", 0.1, "width", 4,
                "depth", 2, "patch", 16, "batch", 2, "steps", 3, "device", "cpu");
        String report = (String) m.getOutput("report");
        assertTrue(Files.exists(out), report);
        assertTrue(report.contains("2 training / 1 validation images"), report);
        java.util.regex.Matcher b = java.util.regex.Pattern.compile("certified Lipschitz bound ([0-9.]+)").matcher(report);
        assertTrue(b.find(), report);
        assertTrue(Double.parseDouble(b.group(1)) <= 1 + 1e-3, report);
        assertFalse(Files.exists(dir.resolve("mine.ckpt.zip")), "checkpoint removed after success");
        long size = Files.size(out);
        Module again = FijiTestSupport.run(TrainDenoiserCommand.class, "images", imp, "output", out.toFile(),
                "steps", 3, "device", "cpu");
        assertTrue(FijiTestSupport.canceled(again));
        assertTrue(FijiTestSupport.cancelReason(again).contains("never overwritten"), FijiTestSupport.cancelReason(again));
        assertEquals(size, Files.size(out));
        // the default activation is the bundled models' learned-threshold shrink; relu on request
        assertTrue(ModelArchive.read(out).spec().architecture().activation().startsWith("shrink"));
        Path relu = dir.resolve("relu.lpnp.zip");
        run(TrainDenoiserCommand.class, "images", imp, "output", relu.toFile(), "sigma", 0.1, "width", 4,
                "depth", 2, "patch", 16, "batch", 2, "steps", 2, "device", "cpu", "activation", "relu");
        assertEquals("relu", ModelArchive.read(relu).spec().architecture().activation());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainDenoiserCommand.activationKey("gelu"));
        assertTrue(e.getMessage().contains("shrink"), e.getMessage());
    }

    @Test
    void modelInfoRecomputesTheCertificate() throws Exception {
        Module m = run(ModelInfoCommand.class, "model", Models.FROM_FILE, "modelFile", TinyModel.file().toFile(),
                "device", "cpu");
        String report = (String) m.getOutput("report");
        double bound = (Double) m.getOutput("certifiedBound");
        assertTrue(bound > 0 && bound <= 1 + 1e-3, "bound " + bound);
        assertTrue(report.contains("name: tiny"), report);
        assertTrue(report.contains("certified bound (recomputed)"), report);
        assertTrue(report.contains("can never amplify differences"), report);
    }
}
