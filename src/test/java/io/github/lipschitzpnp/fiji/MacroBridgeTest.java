package io.github.lipschitzpnp.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

/** The ImageJ 1.x bridge: macro options parsed as ImageJ does, the same numbers as the SciJava commands. */
class MacroBridgeTest {

    static Function<String, ImagePlus> images(ImagePlus... imps) {
        return t -> {
            for (ImagePlus i : imps) {
                if (i.getTitle().equals(t)) {
                    return i;
                }
            }
            return null;
        };
    }

    @Test
    void deconvolveMacroWithAPsfImageGivesTheCommandsNumbers() throws Exception {
        ImagePlus clean = FijiTestImages.cell(48, 16);
        Optics optics = new Optics(Optics.Model.GAUSSIAN, 0.6, 520, 1.0);
        ImagePlus blurred = DeconvolveCommandTest.blurred(optics, clean, 9);
        Img<FloatType> psfImg = Jobs.psf(optics, blurred);
        ImagePlus psf = ImagePlusBridge.toImagePlus(psfImg, "PSF", null);
        BridgePlugIn.Outcome o = new DeconvolvePlugIn().runMacro(
                "psf=[PSF] method=[Richardson-Lucy] iterations=7 boundary=PERIODIC", blurred, images(blurred, psf));
        ImagePlus out = o.images().get(0);
        assertEquals("blurred-Richardson-Lucy-7it", out.getTitle());
        Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.toImg(blurred), psfImg, Boundary.PERIODIC,
                new Reconstruction.Settings(Method.RICHARDSON_LUCY, 7, 1e-5, 0.01), null, null, null).image();
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(ImagePlusBridge.toImg(out)), 0f);
    }

    @Test
    void rhoReachesPnpAdmm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path tiny = dir.resolve("tiny.lpnp.zip"); // re-saved: loads bit for bit the same
        try (var m = io.github.lipschitzpnp.model.DenoiserModel.load(TinyModel.file(), ai.djl.Device.cpu())) {
            m.save(tiny);
        }
        ImagePlus clean = FijiTestImages.cell(32, 8);
        BridgePlugIn.Outcome o = new DeconvolvePlugIn().runMacro("psf=<none> generate=Gaussian na=0.7 wavelength=600 "
                + "refractive=1.0 method=PnP-ADMM model=[" + Models.FROM_FILE + "] model_file=[" + tiny + "] "
                + "iterations=3 rho=0.3 device=cpu", clean, images(clean));
        Optics optics = new Optics(Optics.Model.GAUSSIAN, 0.7, 600, 1.0);
        try (var m = io.github.lipschitzpnp.model.DenoiserModel.load(tiny, ai.djl.Device.cpu())) {
            var d = new io.github.lipschitzpnp.model.NetworkDenoiser(m);
            Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.toImg(clean), Jobs.psf(optics, clean),
                    Boundary.REFLECTIVE, new Reconstruction.Settings(Method.PNP_ADMM, 3, 1e-5, 0.01, 0.3), d, null,
                    null).image();
            Img<FloatType> standard = Reconstruction.deconvolve(ImagePlusBridge.toImg(clean), Jobs.psf(optics, clean),
                    Boundary.REFLECTIVE, new Reconstruction.Settings(Method.PNP_ADMM, 3, 1e-5, 0.01), d, null,
                    null).image();
            float[] got = FloatImages.data(ImagePlusBridge.toImg(o.images().get(0)));
            assertArrayEquals(FloatImages.data(expected), got, 1e-6f);
            double diff = 0;
            for (int i = 0; i < got.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - FloatImages.data(standard)[i]));
            }
            assertTrue(diff > 1e-4, "rho 0.3 must differ from the default, max diff " + diff);
        }
    }

    @Test
    void generatedPsfKeysAndCheckboxesFollowImageJsConventions() throws Exception {
        ImagePlus clean = FijiTestImages.cell(40, 8);
        BridgePlugIn.Outcome o = new DeconvolvePlugIn().runMacro("psf=<none> generate=Gaussian na=0.7 wavelength=600 "
                + "refractive=1.0 method=[TV (PDHG)] iterations=5 lambda=0.01 reference=cell.tif plot", clean,
                images(clean));
        assertEquals("cell-TV_(PDHG)-5it", o.images().get(0).getTitle());
        assertTrue(o.plot(), "a bare key turns a checkbox on");
        assertTrue(o.table(), "a reference gives a results table");
        assertTrue(Double.isFinite(o.result().volumes().get(0).psnr()));
        assertTrue(o.images().get(0).getInfoProperty().contains("Gaussian PSF, NA 0.7"),
                o.images().get(0).getInfoProperty());
    }

    @Test
    void theLineImageJ153tRecordedReplays() throws Exception {
        // Recorded by Debian's ImageJ 1.53t from the dialog (scripts/imagej-window.sh, docs/images).
        String recorded = "psf=<none> generate=[Born & Wolf] na=1.400 wavelength=520 refractive=1.5180 "
                + "method=Richardson-Lucy model=[from file...] model_file=[] iterations=15 tolerance=0.000010 "
                + "lambda=0.0100 device=auto boundary=REFLECTIVE reference=<none> plot";
        ImagePlus cell = FijiTestImages.cell(40, 8);
        BridgePlugIn.Outcome o = new DeconvolvePlugIn().runMacro(recorded, cell, images(cell));
        ImagePlus out = o.images().get(0);
        assertTrue(out.getTitle().startsWith("cell-Richardson-Lucy-"), out.getTitle());
        assertTrue(o.plot());
        Optics optics = new Optics(Optics.Model.BORN_WOLF, 1.4, 520, 1.518);
        Img<FloatType> expected = Reconstruction.deconvolve(ImagePlusBridge.toImg(cell), Jobs.psf(optics, cell),
                Boundary.REFLECTIVE, new Reconstruction.Settings(Method.RICHARDSON_LUCY, 15, 1e-5, 0.01), null, null,
                null).image();
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(ImagePlusBridge.toImg(out)), 0f);
    }

    @Test
    void unknownImagesAndBadNumbersAreNamed() {
        ImagePlus clean = FijiTestImages.cell(32, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeconvolvePlugIn().runMacro("psf=[nope] method=CGLS", clean, images(clean)));
        assertTrue(e.getMessage().contains("no open image titled \"nope\" for psf="), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DeconvolvePlugIn().runMacro("iterations=many", clean, images(clean)));
        assertTrue(e.getMessage().contains("'many' is not a number for iterations="), e.getMessage());
    }

    @Test
    void everyBridgeFormHasMacroKeysThatCannotShadowEachOther() throws Exception {
        ImagePlus clean = FijiTestImages.cell(32, 8);
        for (BridgePlugIn p : new BridgePlugIn[] {new DeconvolvePlugIn(), new DenoisePlugIn(), new InpaintPlugIn(),
            new ReconstructCtPlugIn(), new SimulatePlugIn(), new GeneratePsfPlugIn(), new ModelInfoPlugIn(),
            new TrainDenoiserPlugIn()}) {
            Form f = Form.parsing(p.title(), "", images(clean));
            p.declare(f, clean);
            f.show(); // throws on a key that is the tail of another (ImageJ would read the wrong value)
        }
    }

    @Test
    void simulateAndPsfMacros() throws Exception {
        ImagePlus clean = FijiTestImages.cell(32, 8);
        BridgePlugIn.Outcome o = new SimulatePlugIn().runMacro("acquisition=Mask missing=0.3 noise=None seed=2",
                clean, images(clean));
        assertEquals(2, o.images().size(), "the masked image and the mask");
        BridgePlugIn.Outcome p = new GeneratePsfPlugIn().runMacro("model=Gaussian na=1.2 wavelength=500 "
                + "refractive=1.33 pixel=80 z_step=250 size=15 planes=3", null, images());
        assertEquals(3, p.images().get(0).getNSlices());
        assertEquals(0.08, p.images().get(0).getCalibration().pixelWidth, 1e-12);
    }

    @Test
    void pluginsConfigNamesEveryCommandOnceWithTheSciJavaLabels() throws IOException {
        String config;
        try (InputStream in = MacroBridgeTest.class.getResourceAsStream("/plugins.config")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> ij1 = new HashSet<>();
        for (String line : config.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(",", 3);
            assertEquals("Plugins>Lipschitz PnP", parts[0].strip());
            String label = parts[1].strip().replace("\"", "");
            assertTrue(ij1.add(label), "listed once: " + label);
            String cls = parts[2].strip();
            assertTrue(assertDoesLoad(cls), cls);
        }
        Set<String> scijava = new HashSet<>();
        for (CommandInfo info : FijiTestSupport.context().service(CommandService.class).getCommands()) {
            if (info.getClassName().startsWith("io.github.lipschitzpnp.fiji.")) {
                assertEquals(3, info.getMenuPath().size(), info.getMenuPath().toString());
                assertEquals("Plugins", info.getMenuPath().get(0).getName());
                assertEquals("Lipschitz PnP", info.getMenuPath().get(1).getName());
                scijava.add(info.getMenuPath().getLeaf().getName());
            }
        }
        assertEquals(scijava, ij1, "the same command names in Fiji (SciJava) and plain ImageJ (plugins.config)");
        assertEquals(8, ij1.size());
    }

    private static boolean assertDoesLoad(String cls) {
        try {
            return ij.plugin.PlugIn.class.isAssignableFrom(Class.forName(cls));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

}
