package io.github.lipschitzpnp.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.pipeline.Simulation;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Metrics;
import java.awt.event.KeyEvent;
import java.io.File;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.scijava.module.Module;

class DeconvolveCommandTest {

    static Module run(Class<? extends org.scijava.command.Command> c, Object... inputs) throws Exception {
        return FijiTestSupport.run(c, inputs);
    }

    /** A blurred, noisy copy of a clean image, with the clean image's calibration. */
    static ImagePlus blurred(Optics optics, ImagePlus clean, long seed) {
        Img<FloatType> x = ImagePlusBridge.toImg(clean);
        Img<FloatType> psf = Jobs.psf(optics, clean);
        Img<FloatType> y = Simulation.noise(Simulation.blur(x, psf, Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.01, Scaling.minMax(x), seed);
        ImagePlus imp = ImagePlusBridge.toImagePlus(y, "blurred.tif", ImagePlusBridge.calibration(clean));
        imp.setProperty("Info", "blurred sample");
        return imp;
    }

    @Test
    void tvDeconvolutionImprovesTheDataKeepsCalibrationAndEqualsTheSharedPipeline() throws Exception {
        ImagePlus clean = FijiTestImages.cell(64, 32);
        Optics optics = new Optics(Optics.Model.GAUSSIAN, 0.5, 520, 1.0);
        ImagePlus blurred = blurred(optics, clean, 3);
        float[][] before = FijiTestImages.pixels(blurred);
        Module m = run(DeconvolveCommand.class, "image", blurred, "psfSource", CommandSupport.PSF_GAUSSIAN,
                "na", 0.5, "wavelength", 520.0, "refractiveIndex", 1.0, "method", "TV (PDHG)", "iterations", 30,
                "lambda", 0.002, "useReference", true, "reference", clean);
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertNotNull(out);
        assertEquals("blurred-TV_(PDHG)-30it", out.getTitle());
        assertEquals(32, out.getBitDepth());
        assertEquals(0.1, out.getCalibration().pixelWidth, 1e-12);
        assertEquals("micron", out.getCalibration().getUnit());
        assertTrue(out.getInfoProperty().startsWith("blurred sample"), out.getInfoProperty());
        assertTrue(out.getInfoProperty().contains("Lipschitz PnP: deconvolve"), out.getInfoProperty());
        float[][] after = FijiTestImages.pixels(blurred);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], "input unchanged");
        }
        Img<FloatType> ref = ImagePlusBridge.toImg(clean);
        double psnrData = Metrics.psnr(ImagePlusBridge.toImg(blurred), ref);
        double psnrOut = Metrics.psnr(ImagePlusBridge.toImg(out), ref);
        assertTrue(psnrOut > psnrData + 0.5, psnrData + " -> " + psnrOut);
        DeconvolveCommand cmd = (DeconvolveCommand) m;
        assertEquals(1, cmd.outcome.volumes().size());
        assertEquals(psnrOut, cmd.outcome.volumes().get(0).psnr(), 1e-3, "results-table PSNR");
        assertEquals(1, cmd.outcome.table().size());
        assertEquals(30, cmd.outcome.table().getValue("Iterations", 0));
        assertNotNull(cmd.outcome.convergencePlot());

        // Identical numbers to the shared pipeline the CLI uses.
        Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.toImg(blurred), Jobs.psf(optics, blurred),
                Boundary.REFLECTIVE, new Reconstruction.Settings(Method.TV, 30, 1e-5, 0.002), null, null, null).image();
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(ImagePlusBridge.toImg(out)), 0f);
    }

    @Test
    void pnpDeconvolvesAZStackIn3DWithTheCertifiedModelPlaneByPlane() throws Exception {
        ImagePlus stack = FijiTestImages.stack(32, 7);
        Optics optics = new Optics(Optics.Model.BORN_WOLF, 1.0, 520, 1.33);
        ImagePlus blurred = blurred(optics, stack, 5);
        assertEquals(7, blurred.getNSlices());
        Module m = run(DeconvolveCommand.class, "image", blurred, "psfSource", CommandSupport.PSF_BORN_WOLF,
                "na", 1.0, "wavelength", 520.0, "refractiveIndex", 1.33, "method", "PnP-ADMM", "iterations", 3,
                "model", Models.FROM_FILE, "modelFile", TinyModel.file().toFile(), "device", "cpu");
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertEquals("blurred-PnP-ADMM-3it", out.getTitle());
        assertEquals(7, out.getNSlices());
        assertEquals(0.3, out.getCalibration().pixelDepth, 1e-12);
        String info = out.getInfoProperty();
        assertTrue(info.contains("plane by plane") && info.contains("tiny"), info);
        assertTrue(info.contains("Born & Wolf"), info);
        for (float[] plane : FijiTestImages.pixels(out)) {
            for (float v : plane) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** A 2-channel, 2-frame 16-bit hyperstack of cell crops. */
    static ImagePlus hyperstack() {
        ImageStack st = new ImageStack(40, 40);
        for (int i = 0; i < 4; i++) {
            ImagePlus crop = FijiTestImages.cell(40 + 4 * i, 16);
            crop.getProcessor().setRoi(0, 0, 40, 40);
            st.addSlice("c" + (i % 2 + 1) + " t" + (i / 2 + 1), crop.getProcessor().crop());
        }
        ImagePlus imp = new ImagePlus("hyper.tif", st);
        imp.setDimensions(2, 1, 2);
        imp.setOpenAsHyperStack(true);
        imp.setCalibration(FijiTestImages.cell(8, 16).getCalibration());
        return imp;
    }

    /** The Gaussian optics of {@link #hyperstack()} runs. */
    private static final Optics GAUSSIAN_OPTICS = new Optics(Optics.Model.GAUSSIAN, 0.8, 600, 1.0);

    /** Deconvolve from the menu with the Gaussian optics and the given extra inputs; fails if cancelled. */
    private static Module runGaussian(ImagePlus imp, Object... extra) throws Exception {
        Object[] base = {"image", imp, "psfSource", CommandSupport.PSF_GAUSSIAN, "na", 0.8, "wavelength", 600.0,
            "refractiveIndex", 1.0};
        Object[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        Module m = run(DeconvolveCommand.class, all);
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        return m;
    }

    @Test
    void channelsAndFramesAreDeconvolvedOneByOneWithTheirOwnResults() throws Exception {
        ImagePlus imp = hyperstack();
        Optics optics = GAUSSIAN_OPTICS;
        Module m = runGaussian(imp, "method", "Richardson-Lucy", "iterations", 4);
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertEquals(2, out.getNChannels());
        assertEquals(2, out.getNFrames());
        assertEquals("c2 t1", out.getStack().getSliceLabel(2));
        assertEquals(4, ((DeconvolveCommand) m).outcome.volumes().size());
        Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.extract(imp, 1, 1), Jobs.psf(optics, imp),
                Boundary.REFLECTIVE, new Reconstruction.Settings(Method.RICHARDSON_LUCY, 4, 1e-5, 0.01), null, null,
                null).image();
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(ImagePlusBridge.extract(out, 1, 1)), 0f);
    }

    @Test
    void wienerRunsFromTheMenuAsInThePipeline() throws Exception {
        ImagePlus imp = hyperstack();
        Optics optics = GAUSSIAN_OPTICS;
        Module m = runGaussian(imp, "method", "Wiener", "lambda", 0.02);
        ImagePlus out = (ImagePlus) m.getOutput("result");
        Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.extract(imp, 1, 0), Jobs.psf(optics, imp),
                Boundary.REFLECTIVE, new Reconstruction.Settings(Method.WIENER, 50, 1e-5, 0.02), null, null,
                null).image();
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(ImagePlusBridge.extract(out, 1, 0)), 0f);
    }

    @Test
    void escapeStopsBetweenIterationsKeepingTheLastIterate() {
        ImagePlus imp = hyperstack();
        Optics optics = new Optics(Optics.Model.GAUSSIAN, 0.8, 600, 1.0);
        Jobs.Solve solve = new Jobs.Solve(Method.TV, 50, 0, 0.01, null, null, "cpu", (k, r, x) -> {
            if (k == 3) {
                IJ.setKeyDown(KeyEvent.VK_ESCAPE); // what ImageJ does when the user presses Esc
            }
            return true;
        });
        Jobs.Result r;
        try {
            r = Jobs.deconvolve(imp, null, optics, Boundary.REFLECTIVE, solve, null);
        } finally {
            IJ.resetEscape();
        }
        assertTrue(r.stopped());
        assertEquals(1, r.volumes().size(), "later volumes are not processed");
        assertEquals(3, r.volumes().get(0).result().iterations());
        assertEquals("hyper-TV_(PDHG)-3it-stopped", r.image().getTitle());
        Img<FloatType> threeIterations = Reconstruction.deconvolve(ImagePlusBridge.extract(imp, 0, 0),
                Jobs.psf(optics, imp), Boundary.REFLECTIVE, new Reconstruction.Settings(Method.TV, 3, 0, 0.01), null,
                null, null).image();
        assertArrayEquals(FloatImages.data(threeIterations), FloatImages.data(ImagePlusBridge.extract(r.image(), 0, 0)),
                0f, "the last iterate is kept");
        assertArrayEquals(FloatImages.data(ImagePlusBridge.extract(imp, 1, 1)),
                FloatImages.data(ImagePlusBridge.extract(r.image(), 1, 1)), 0f, "unprocessed volumes keep the input");
    }

    @Test
    void aPsfImageIsUsedAsGivenAndA2dPsfForAStackIsRefused() throws Exception {
        ImagePlus clean = FijiTestImages.cell(40, 32);
        Optics optics = new Optics(Optics.Model.GAUSSIAN, 0.6, 520, 1.0);
        Img<FloatType> psfImg = Jobs.psf(optics, clean);
        ImagePlus psf = ImagePlusBridge.toImagePlus(psfImg, "PSF", null);
        Module m = run(DeconvolveCommand.class, "image", clean, "psfSource", CommandSupport.PSF_IMAGE, "psf", psf,
                "method", "CGLS", "iterations", 4, "tolerance", 0.0);
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.toImg(clean), psfImg, Boundary.REFLECTIVE,
                new Reconstruction.Settings(Method.CGLS, 4, 0, 0.01), null, null, null).image();
        assertArrayEquals(FloatImages.data(expected),
                FloatImages.data(ImagePlusBridge.toImg((ImagePlus) m.getOutput("result"))), 0f);
        Module bad = run(DeconvolveCommand.class, "image", FijiTestImages.stack(24, 5), "psfSource",
                CommandSupport.PSF_IMAGE, "psf", psf, "method", "CGLS", "iterations", 2);
        assertTrue(FijiTestSupport.canceled(bad));
        assertTrue(FijiTestSupport.cancelReason(bad).contains("use a 3D PSF"), FijiTestSupport.cancelReason(bad));
    }

    @Test
    void rgbIsRefusedWithTheClearMessage() throws Exception {
        ImagePlus rgb = FijiTestImages.cell(32, 8);
        rgb.setProcessor(rgb.getProcessor().convertToRGB());
        Module m = run(DeconvolveCommand.class, "image", rgb, "method", "Richardson-Lucy", "iterations", 2);
        assertTrue(FijiTestSupport.canceled(m));
        assertTrue(FijiTestSupport.cancelReason(m).contains(ImagePlusBridge.RGB_MESSAGE),
                FijiTestSupport.cancelReason(m));
    }

    @Test
    void aMissingModelFileIsAClearErrorNotACrash() throws Exception {
        Module m = run(DeconvolveCommand.class, "image", FijiTestImages.cell(32, 8), "method", "PnP-PGD",
                "model", Models.FROM_FILE, "modelFile", new File("does-not-exist.lpnp.zip"), "iterations", 2);
        assertTrue(FijiTestSupport.canceled(m));
        assertTrue(FijiTestSupport.cancelReason(m).contains("does-not-exist.lpnp.zip"), FijiTestSupport.cancelReason(m));
    }
}
