package io.github.lipschitzpnp.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.pipeline.Simulation;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Metrics;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.module.Module;
import org.scijava.command.CommandService;

class DeconvolveCommandTest {

    static Context context;

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    static Module run(Class<? extends org.scijava.command.Command> c, Object... inputs) throws Exception {
        return FijiTestSupport.run(context, c, inputs);
    }

    /** A blurred, noisy 16-bit copy of a cell crop, with the optics' calibration. */
    static ImagePlus blurredCell(Optics optics, ImagePlus clean) {
        Img<FloatType> x = ImagePlusBridge.toImg(clean);
        Img<FloatType> psf = optics.psfFor(new long[] {clean.getWidth(), clean.getHeight()},
                ImagePlusBridge.calibration(clean));
        Img<FloatType> y = Simulation.noise(Simulation.blur(x, psf, Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.01, Scaling.minMax(x), 3);
        ImagePlus imp = ImagePlusBridge.toImagePlus(y, "blurred.tif", ImagePlusBridge.calibration(clean));
        imp.setProperty("Info", "blurred sample");
        return imp;
    }

    @Test
    void tvDeconvolutionHeadlessImprovesOnTheDataAndKeepsCalibration() throws Exception {
        ImagePlus clean = FijiTestImages.cell(64, 32);
        Optics optics = new Optics(Optics.Model.GAUSSIAN, 0.5, 520, 1.0);
        ImagePlus blurred = blurredCell(optics, clean);
        float[][] before = FijiTestImages.pixels(blurred);
        Module m = run(DeconvolveCommand.class, "image", blurred, "psfSource", CommandSupport.PSF_GAUSSIAN,
                "na", 0.5, "wavelength", 520.0, "refractiveIndex", 1.0, "method", "TV (PDHG)", "iterations", 30,
                "lambda", 0.002, "useReference", true, "reference", clean);
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertNotNull(out);
        assertEquals("blurred-TV_(PDHG)-30it", out.getTitle());
        assertEquals(0.1, out.getCalibration().pixelWidth, 1e-12);
        assertEquals("micron", out.getCalibration().getUnit());
        assertTrue(out.getInfoProperty().startsWith("blurred sample"), out.getInfoProperty());
        assertTrue(out.getInfoProperty().contains("Lipschitz PnP: deconvolve"), out.getInfoProperty());
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], FijiTestImages.pixels(blurred)[i], "input unchanged");
        }
        Img<FloatType> ref = ImagePlusBridge.toImg(clean);
        double psnrData = Metrics.psnr(ImagePlusBridge.toImg(blurred), ref);
        double psnrOut = Metrics.psnr(ImagePlusBridge.toImg(out), ref);
        assertTrue(psnrOut > psnrData + 0.5, psnrData + " -> " + psnrOut);
        DeconvolveCommand cmd = (DeconvolveCommand) m;
        assertEquals(1, cmd.outcome.volumes().size());
        assertEquals(psnrOut, cmd.outcome.volumes().get(0).psnr(), 1e-3, "results table PSNR");
        assertEquals(30, cmd.outcome.convergencePlot() == null ? -1 : cmd.outcome.volumes().get(0).result().iterations());
        assertEquals(1, cmd.outcome.table().size());
    }

    @Test
    void pnpDeconvolutionMatchesTheSharedPipelineExactly() throws Exception {
        ImagePlus clean = FijiTestImages.cell(48, 8);
        Optics optics = new Optics(Optics.Model.BORN_WOLF, 1.2, 520, 1.33);
        ImagePlus blurred = blurredCell(optics, clean);
        String model = TinyModel.file().toString();
        Module m = run(DeconvolveCommand.class, "image", blurred, "psfSource", CommandSupport.PSF_BORN_WOLF,
                "na", 1.2, "wavelength", 520.0, "refractiveIndex", 1.33, "method", "PnP-ADMM", "iterations", 5,
                "model", Models.FROM_FILE, "modelFile", new java.io.File(model), "device", "cpu");
        assertFalse(FijiTestSupport.canceled(m), () -> FijiTestSupport.cancelReason(m));
        ImagePlus out = (ImagePlus) m.getOutput("result");
        assertEquals("blurred-PnP-ADMM-5it", out.getTitle());
        Img<FloatType> y = ImagePlusBridge.toImg(blurred);
        Img<FloatType> psf = optics.psfFor(new long[] {48, 48}, ImagePlusBridge.calibration(blurred));
        Img<FloatType> expected;
        try (var dm = Models.open(model, null, "cpu")) {
            expected = Reconstruction.deconvolve(y, psf, Boundary.REFLECTIVE,
                    new Reconstruction.Settings(Method.PNP_ADMM, 5, 1e-5, 0.01),
                    new io.github.lipschitzpnp.model.NetworkDenoiser(dm), null, null).image();
        }
        assertArrayEquals(io.github.lipschitzpnp.image.FloatImages.data(expected),
                io.github.lipschitzpnp.image.FloatImages.data(ImagePlusBridge.toImg(out)), 0f);
    }

    @Test
    void rgbIsRefusedWithTheClearMessage() throws Exception {
        ImagePlus rgb = FijiTestImages.cell(32, 8);
        rgb.setProcessor(rgb.getProcessor().convertToRGB());
        Module m = run(DeconvolveCommand.class, "image", rgb, "method", "Richardson-Lucy", "iterations", 2);
        assertTrue(FijiTestSupport.canceled(m));
        assertTrue(FijiTestSupport.cancelReason(m).contains(ImagePlusBridge.RGB_MESSAGE), FijiTestSupport.cancelReason(m));
    }
}
