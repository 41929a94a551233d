package io.github.lipschitzpnp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.pipeline.Simulation;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.imglib2.img.Img;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lpnp deconvolve / inpaint / reconstruct / psf / simulate: the JSON contract, exit code 2 on bad
 * input, the output equal to the pipeline API's result, inputs unchanged. Tiny images, few iterations.
 */
class ReconstructionCommandsTest {

    /** A smooth test image in [0.1, 0.9] plus an edge, of any dimensions. */
    static Img<FloatType> phantom(long... dims) {
        int n = (int) Intervals.numElements(dims);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            long x = i % dims[0];
            long y = (i / dims[0]) % dims[1];
            long z = dims.length > 2 ? i / (dims[0] * dims[1]) : 0;
            v[i] = (float) (0.5 + 0.25 * Math.sin(x / 3.0) * Math.cos(y / 4.0) + 0.1 * Math.cos(z / 2.0)
                    + (x > dims[0] / 2 ? 0.05 : 0));
        }
        return FloatImages.wrap(v, dims);
    }

    static Path save(Img<FloatType> img, Path file) {
        ImageFiles.writeTiff(img, ImageCalibration.NONE, file, ImageFiles.WriteOptions.noOverwrite());
        return file;
    }

    static float[] read(Path file) {
        return FloatImages.data(ImageFiles.read(file).image());
    }

    static void assertContract(JsonObject json, String method) {
        for (String k : new String[] {"method", "iterations", "residuals", "psnr", "ssim", "seconds"}) {
            assertTrue(json.has(k), "JSON lacks " + k + ": " + json);
        }
        assertEquals(method, json.get("method").getAsString());
        assertEquals(json.get("iterations").getAsInt(), json.getAsJsonArray("residuals").size() == 0
                ? json.get("iterations").getAsInt() : json.getAsJsonArray("residuals").size());
    }

    @Test
    void deconvolveTvEqualsThePipelineAndLeavesTheInputAlone(@TempDir Path dir) throws Exception {
        Img<FloatType> clean = phantom(32, 30);
        Img<FloatType> psf = Psf.gaussian2D(1.5, 9);
        Img<FloatType> blurred = Simulation.noise(Simulation.blur(clean, psf, Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.01, Scaling.minMax(clean), 3);
        Path in = save(blurred, dir.resolve("in.tif"));
        Path psfFile = save(psf, dir.resolve("psf.tif"));
        Path ref = save(clean, dir.resolve("ref.tif"));
        byte[] before = Files.readAllBytes(in);
        Path out = dir.resolve("out.tif");
        var r = CliTestSupport.run("deconvolve", in.toString(), out.toString(), "--psf", psfFile.toString(),
                "--method", "tv", "--iterations", "8", "--lambda", "0.005", "--reference", ref.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = r.json();
        assertContract(json, "tv");
        assertEquals(8, json.get("iterations").getAsInt());
        assertEquals(8, json.getAsJsonArray("residuals").size());
        assertTrue(json.get("psnr").getAsDouble() > 10, json.toString());
        assertTrue(json.get("ssim").getAsDouble() > 0, json.toString());
        assertEquals("MAX_ITERATIONS", json.get("stop_reason").getAsString());
        assertArrayEquals(before, Files.readAllBytes(in), "input unchanged");

        Img<FloatType> expected = Reconstruction.deconvolve(ImageFiles.read(in).image(), ImageFiles.read(psfFile).image(),
                Boundary.REFLECTIVE, new Reconstruction.Settings(Method.TV, 8, 1e-5, 0.005), null, null, null).image();
        assertArrayEquals(FloatImages.data(expected), read(out), 0f, "CLI output = pipeline result");

        // no reference: psnr and ssim are null
        var noRef = CliTestSupport.run("deconvolve", in.toString(), dir.resolve("o2.tif").toString(), "--psf-gaussian",
                "1.5", "--method", "rl", "--iterations", "3", "--json");
        assertEquals(0, noRef.exitCode(), noRef.err());
        assertContract(noRef.json(), "richardson-lucy");
        assertTrue(noRef.json().get("psnr").isJsonNull());
        assertTrue(noRef.json().get("ssim").isJsonNull());
        Img<FloatType> rl = Reconstruction.deconvolve(ImageFiles.read(in).image(), Psf.gaussian2D(1.5, 13),
                Boundary.REFLECTIVE, new Reconstruction.Settings(Method.RICHARDSON_LUCY, 3, 1e-5, 0.01), null, null,
                null).image();
        assertArrayEquals(FloatImages.data(rl), read(dir.resolve("o2.tif")), 0f);

        // Wiener: one shot, converged after one iteration
        var w = CliTestSupport.run("deconvolve", in.toString(), dir.resolve("w.tif").toString(), "--psf",
                psfFile.toString(), "--method", "wiener", "--lambda", "0.001", "--reference", ref.toString(), "--json");
        assertEquals(0, w.exitCode(), w.err());
        assertContract(w.json(), "wiener");
        assertEquals(1, w.json().get("iterations").getAsInt());
        assertEquals("CONVERGED", w.json().get("stop_reason").getAsString());
    }

    @Test
    void deconvolvesAStackWithAGaussianPsf(@TempDir Path dir) {
        Img<FloatType> clean = phantom(20, 18, 9);
        Img<FloatType> psf = Psf.gaussian3D(1.0, 1.5, 9, 9);
        Path in = save(Simulation.blur(clean, psf, Boundary.REFLECTIVE), dir.resolve("stack.tif"));
        Path out = dir.resolve("out.tif");
        var r = CliTestSupport.run("deconvolve", in.toString(), out.toString(), "--psf-gaussian", "1.0",
                "--psf-gaussian-z", "1.5", "--method", "tikhonov", "--iterations", "5", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertContract(r.json(), "tikhonov");
        Img<FloatType> res = ImageFiles.read(out).image();
        assertArrayEquals(new long[] {20, 18, 9}, Intervals.dimensionsAsLongArray(res));
        Img<FloatType> expected = Reconstruction.deconvolve(ImageFiles.read(in).image(), psf, Boundary.REFLECTIVE,
                new Reconstruction.Settings(Method.TIKHONOV, 5, 1e-5, 0.01), null, null, null).image();
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(res), 0f);
    }

    /**
     * PnP through the CLI with a tiny certified network (random weights; the test needs a certified
     * map, not a good one). The raw file of TinyModel is loaded once and saved again: loading that raw
     * file twice gave denoiser outputs differing by up to 4e-4 (probed), a re-saved model loads
     * bit for bit the same, so the CLI and the pipeline see the same network.
     */
    @Test
    void deconvolveWithAModelFileEqualsThePipeline(@TempDir Path dir) throws Exception {
        Path tiny = dir.resolve("tiny.lpnp.zip");
        try (DenoiserModel m = DenoiserModel.load(io.github.lipschitzpnp.fiji.TinyModel.file(), Device.cpu())) {
            m.save(tiny);
        }
        Img<FloatType> clean = phantom(32, 32);
        Path in = save(Simulation.noise(Simulation.blur(clean, Psf.gaussian2D(1.0, 7), Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.02, Scaling.minMax(clean), 5), dir.resolve("in.tif"));
        Path ref = save(clean, dir.resolve("ref.tif"));
        for (String key : new String[] {"pnp-admm", "pnp-pgd"}) {
            Path out = dir.resolve(key + ".tif");
            var r = CliTestSupport.run("deconvolve", in.toString(), out.toString(), "--psf-gaussian", "1.0",
                    "--method", key, "--iterations", "3", "--model", tiny.toString(), "--device", "cpu",
                    "--reference", ref.toString(), "--json");
            assertEquals(0, r.exitCode(), r.err());
            JsonObject json = r.json();
            assertContract(json, key);
            assertEquals(tiny.toString(), json.get("model").getAsString());
            assertTrue(json.get("certified_bound").getAsDouble() <= 1.001);
            assertTrue(json.get("guarantee").getAsString().length() > 0);
            assertTrue(json.get("psnr").getAsDouble() > 0);
            try (DenoiserModel m = DenoiserModel.load(tiny, Device.cpu())) {
                Img<FloatType> expected = Reconstruction.deconvolve(ImageFiles.read(in).image(), Psf.gaussian2D(1.0, 9),
                        Boundary.REFLECTIVE, new Reconstruction.Settings(Method.parse(key), 3, 1e-5, 0.01),
                        new NetworkDenoiser(m), null, null).image();
                assertArrayEquals(FloatImages.data(expected), read(out), 1e-6f, key);
            }
        }
    }

    /** CT defaults to PnP-ADMM with rho by model (Reconstruction.Settings.ctPenalty); --rho overrides it. */
    @Test
    void reconstructDefaultsToPnpAdmmWithPenaltyPointThree(@TempDir Path dir) throws Exception {
        Img<FloatType> slice = phantom(33, 33);
        double[] angles = Angles.parse("0:180:30", 30);
        Path sino = save(Simulation.sinogram(slice, angles), dir.resolve("sino.tif"));
        Path tinyFile = dir.resolve("tiny.lpnp.zip"); // re-saved: loads bit for bit the same (see above)
        try (DenoiserModel m = DenoiserModel.load(io.github.lipschitzpnp.fiji.TinyModel.file(), Device.cpu())) {
            m.save(tinyFile);
        }
        String tiny = tinyFile.toString();
        Path out = dir.resolve("default.tif");
        var r = CliTestSupport.run("reconstruct", sino.toString(), out.toString(), "--angles", "0:180:30",
                "--iterations", "3", "--model", tiny, "--device", "cpu", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertContract(r.json(), "pnp-admm");
        double byModel;
        try (DenoiserModel m = DenoiserModel.load(tinyFile, Device.cpu())) {
            byModel = Reconstruction.Settings.ctPenalty(m.noiseSigma());
        }
        assertEquals(byModel, r.json().get("rho").getAsDouble(), 1e-12);
        Path out1 = dir.resolve("rho1.tif");
        assertEquals(0, CliTestSupport.run("reconstruct", sino.toString(), out1.toString(), "--angles", "0:180:30",
                "--iterations", "3", "--model", tiny, "--device", "cpu", "--rho", "1").exitCode());
        try (DenoiserModel m = DenoiserModel.load(tinyFile, Device.cpu())) {
            for (double rho : new double[] {byModel, 1}) {
                Img<FloatType> expected = Reconstruction.reconstructCt(ImageFiles.read(sino).image(), angles, 33,
                        new Reconstruction.Settings(Method.PNP_ADMM, 3, 1e-5, 0.01, rho), new NetworkDenoiser(m), null,
                        null).image();
                assertArrayEquals(FloatImages.data(expected), read(rho == 1 ? out1 : out), 1e-6f, "rho " + rho);
            }
        }
        assertEquals(Method.PNP_ADMM, Reconstruction.Settings.CT_METHOD);
        // 0.3 x (5/255) / sigma: the best of {0.03, 0.06, 0.1, 0.3, 1} per bundled model on held-out CT
        assertEquals(0.3, Reconstruction.Settings.ctPenalty(5.0 / 255), 1e-12);
        assertEquals(0.1, Reconstruction.Settings.ctPenalty(15.0 / 255), 1e-12);
        assertEquals(0.06, Reconstruction.Settings.ctPenalty(25.0 / 255), 1e-12);
        assertEquals(0.03, Reconstruction.Settings.ctPenalty(50.0 / 255), 1e-12);
        assertEquals(0.3, Reconstruction.Settings.ctPenalty(0), 1e-12);
    }

    @Test
    void ctrlCKeepsTheLastIterate(@TempDir Path dir) {
        Path in = save(Simulation.blur(phantom(24, 24), Psf.gaussian2D(1.0, 7), Boundary.REFLECTIVE),
                dir.resolve("in.tif"));
        Path out = dir.resolve("out.tif");
        SolveSupport.cancelAfterForTests = 2;
        try {
            var r = CliTestSupport.run("deconvolve", in.toString(), out.toString(), "--psf-gaussian", "1", "--method",
                    "tv", "--iterations", "40", "--tolerance", "0", "--json");
            assertEquals(130, r.exitCode(), r.err());
            assertEquals("CANCELLED", r.json().get("stop_reason").getAsString());
            assertFalse(Files.exists(dir.resolve(".out.tif.parts")));
            assertEquals(2, r.json().get("iterations").getAsInt());
            assertTrue(Files.exists(out));
        } finally {
            SolveSupport.cancelAfterForTests = 0;
        }
    }

    @Test
    void deconvolveRefusesBadInputWithExitCode2(@TempDir Path dir) {
        Path in = save(phantom(16, 16), dir.resolve("in.tif"));
        Path stack = save(phantom(16, 16, 5), dir.resolve("stack.tif"));
        Path bigPsf = save(Psf.gaussian2D(3, 21), dir.resolve("big.tif"));
        Path psf2 = save(Psf.gaussian2D(1, 5), dir.resolve("psf2.tif"));
        String out = dir.resolve("o.tif").toString();
        String[][] cases = {
            {"deconvolve", dir.resolve("missing.tif").toString(), out, "--psf-gaussian", "1", "--method", "tv"},
            {"deconvolve", in.toString(), out, "--psf", bigPsf.toString(), "--method", "tv"},
            {"deconvolve", stack.toString(), out, "--psf", psf2.toString(), "--method", "tv"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--method", "magic"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "-1", "--method", "tv"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--boundary", "sideways", "--method", "tv"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--model", dir.resolve("no.lpnp.zip").toString()},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--method", "tv", "--iterations", "0"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--method", "tv", "--reference",
                stack.toString()},
            {"deconvolve", in.toString(), out, "--method", "tv"},
            {"deconvolve", in.toString(), in.toString(), "--psf-gaussian", "1", "--method", "tv", "--force"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--method", "tv", "--rho", "0.5"},
            {"deconvolve", in.toString(), out, "--psf-gaussian", "1", "--method", "pnp-admm", "--rho", "0"},
        };
        for (String[] c : cases) {
            var r = CliTestSupport.run(c);
            assertEquals(2, r.exitCode(), String.join(" ", c) + "\n" + r.err());
            assertFalse(r.err().contains("internal error"), r.err());
        }
        var unknown = CliTestSupport.run(cases[3]);
        assertTrue(unknown.err().contains("pnp-admm") && unknown.err().contains("wiener"), unknown.err());
        assertTrue(CliTestSupport.run(cases[1]).err().contains("larger than the image"));
        assertTrue(CliTestSupport.run(cases[11]).err().contains("applies to PnP-ADMM, PnP-DRS and PnP-HQS, not to TV"),
                CliTestSupport.run(cases[11]).err());
        assertTrue(CliTestSupport.run(cases[12]).err().contains("penalty must be positive"));
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void rhoSetsThePenaltyOfPnpAdmm(@TempDir Path dir) throws Exception {
        Path tiny = dir.resolve("tiny.lpnp.zip"); // re-saved: loads bit for bit the same (see above)
        try (DenoiserModel m = DenoiserModel.load(io.github.lipschitzpnp.fiji.TinyModel.file(), Device.cpu())) {
            m.save(tiny);
        }
        Img<FloatType> clean = phantom(32, 32);
        Path in = save(Simulation.noise(Simulation.blur(clean, Psf.gaussian2D(1.0, 7), Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.02, Scaling.minMax(clean), 5), dir.resolve("in.tif"));
        Path out = dir.resolve("rho.tif");
        var r = CliTestSupport.run("deconvolve", in.toString(), out.toString(), "--psf-gaussian", "1.0",
                "--method", "pnp-admm", "--iterations", "3", "--model", tiny.toString(), "--device", "cpu", "--rho", "0.3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        try (DenoiserModel m = DenoiserModel.load(tiny, Device.cpu())) {
            NetworkDenoiser d = new NetworkDenoiser(m);
            Img<FloatType> image = ImageFiles.read(in).image();
            float[] withRho = FloatImages.data(Reconstruction.deconvolve(image, Psf.gaussian2D(1.0, 9),
                    Boundary.REFLECTIVE, new Reconstruction.Settings(Method.PNP_ADMM, 3, 1e-5, 0.01, 0.3), d, null,
                    null).image());
            float[] standard = FloatImages.data(Reconstruction.deconvolve(image, Psf.gaussian2D(1.0, 9),
                    Boundary.REFLECTIVE, new Reconstruction.Settings(Method.PNP_ADMM, 3, 1e-5, 0.01), d, null,
                    null).image());
            assertArrayEquals(withRho, read(out), 1e-6f);
            double diff = 0;
            for (int i = 0; i < standard.length; i++) {
                diff = Math.max(diff, Math.abs(standard[i] - withRho[i]));
            }
            assertTrue(diff > 1e-3, "rho 0.3 and the default rho must give different iterates, max diff " + diff);
        }
    }

    @Test
    void inpaintEqualsThePipeline(@TempDir Path dir) {
        Img<FloatType> clean = phantom(24, 20);
        Img<FloatType> mask = Simulation.randomMask(new long[] {24, 20}, 0.4, 7);
        Path in = save(Simulation.applyMask(clean, mask), dir.resolve("in.tif"));
        Path maskFile = save(mask, dir.resolve("mask.tif"));
        Path ref = save(clean, dir.resolve("ref.tif"));
        Path out = dir.resolve("out.tif");
        var r = CliTestSupport.run("inpaint", in.toString(), maskFile.toString(), out.toString(), "--method", "tv",
                "--iterations", "6", "--reference", ref.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertContract(r.json(), "tv");
        double observed = r.json().get("observed_fraction").getAsDouble();
        assertTrue(observed > 0.5 && observed < 0.7, "observed " + observed);
        Img<FloatType> expected = Reconstruction.inpaint(ImageFiles.read(in).image(), mask,
                new Reconstruction.Settings(Method.TV, 6, 1e-5, 0.01), null, null, null).image();
        assertArrayEquals(FloatImages.data(expected), read(out), 0f);

        Path wrong = save(Simulation.randomMask(new long[] {20, 24}, 0.4, 7), dir.resolve("wrong.tif"));
        var bad = CliTestSupport.run("inpaint", in.toString(), wrong.toString(), dir.resolve("b.tif").toString(),
                "--method", "tv");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("mask"), bad.err());
        var wiener = CliTestSupport.run("inpaint", in.toString(), maskFile.toString(), dir.resolve("c.tif").toString(),
                "--method", "wiener");
        assertEquals(2, wiener.exitCode(), wiener.err());
        assertTrue(wiener.err().contains("convolution"), wiener.err());
    }

    @Test
    void reconstructFbpAndSirtEqualThePipeline(@TempDir Path dir) throws Exception {
        Img<FloatType> slice = phantom(33, 33);
        double[] angles = Angles.parse("0:180:30", 30);
        Path sino = save(Simulation.sinogram(slice, angles), dir.resolve("sino.tif"));
        Path ref = save(slice, dir.resolve("ref.tif"));
        Path out = dir.resolve("fbp.tif");
        var r = CliTestSupport.run("reconstruct", sino.toString(), out.toString(), "--angles", "0:180:30", "--method",
                "fbp", "--filter", "hann", "--reference", ref.toString(), "--json", "--report", dir.resolve("report").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertContract(r.json(), "fbp");
        assertFalse(Files.exists(dir.resolve("report/residuals.png")), "FBP has no iterations to plot");
        assertEquals("hann", r.json().get("filter").getAsString());
        assertArrayEquals(FloatImages.data(Reconstruction.fbp(ImageFiles.read(sino).image(), angles, 33,
                Fbp.Window.HANN)), read(out), 0f);

        Path anglesFile = dir.resolve("angles.txt");
        StringBuilder sb = new StringBuilder("# degrees\n");
        for (double a : angles) {
            sb.append(a).append('\n');
        }
        Files.writeString(anglesFile, sb.toString());
        Path out2 = dir.resolve("sirt.tif");
        var s = CliTestSupport.run("reconstruct", sino.toString(), out2.toString(), "--angles", anglesFile.toString(),
                "--method", "sirt", "--iterations", "5", "--size", "33", "--json");
        assertEquals(0, s.exitCode(), s.err());
        assertContract(s.json(), "sirt");
        assertEquals(5, s.json().getAsJsonArray("residuals").size());
        assertArrayEquals(FloatImages.data(Reconstruction.reconstructCt(ImageFiles.read(sino).image(), angles, 33,
                new Reconstruction.Settings(Method.SIRT, 5, 1e-5, 0.01), null, null, null).image()), read(out2), 0f);
    }

    /** Sinograms of the slices of {@code volume} (x, y, z), stacked along z. */
    static Img<FloatType> sinogramStack(Img<FloatType> volume, double[] angles) {
        int slices = (int) volume.dimension(2);
        Img<FloatType> first = Simulation.sinogram(FloatImages.copy(Views.hyperSlice(volume, 2, 0)), angles);
        Img<FloatType> stack = FloatImages.create(first.dimension(0), first.dimension(1), slices);
        for (int z = 0; z < slices; z++) {
            Img<FloatType> sino = Simulation.sinogram(FloatImages.copy(Views.hyperSlice(volume, 2, z)), angles);
            LoopBuilder.setImages(sino, Views.hyperSlice(stack, 2, z)).forEachPixel((a, b) -> b.set(a));
        }
        return stack;
    }

    static float[] slice(float[] stack, int z, int pixels) {
        return Arrays.copyOfRange(stack, z * pixels, (z + 1) * pixels);
    }

    @Test
    void reconstructsAStackSliceBySlice(@TempDir Path dir) throws Exception {
        Img<FloatType> volume = phantom(33, 33, 3);
        double[] angles = Angles.parse("0:180:30", 30);
        Img<FloatType> sinos = sinogramStack(volume, angles);
        assertArrayEquals(FloatImages.data(sinos), FloatImages.data(Simulation.sinogram(volume, angles)), 0f);
        Path ref = save(volume, dir.resolve("ref.tif"));
        // lpnp simulate makes the same stack of sinograms
        Path sino = dir.resolve("sino.tif");
        var sim = CliTestSupport.run("simulate", ref.toString(), sino.toString(), "--acquisition", "sinogram",
                "--angles", "0:180:30", "--noise", "none");
        assertEquals(0, sim.exitCode(), sim.err());
        assertArrayEquals(FloatImages.data(sinos), read(sino), 0f);
        Path out = dir.resolve("sirt.tif");
        var r = CliTestSupport.run("reconstruct", sino.toString(), out.toString(), "--angles", "0:180:30", "--method",
                "sirt", "--iterations", "5", "--tolerance", "0", "--reference", ref.toString(), "--json", "--report",
                dir.resolve("report").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(dir.resolve("report/result.json")).contains("\"slices\""));
        assertFalse(Files.exists(dir.resolve(".sirt.tif.parts")), "the slices' parts are removed once assembled");
        assertTrue(Files.size(dir.resolve("report/residuals.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("report/report.html")).contains("residuals.png"));
        JsonObject json = r.json();
        assertEquals("sirt", json.get("method").getAsString());
        assertEquals(5, json.get("iterations").getAsInt());
        assertEquals("MAX_ITERATIONS", json.get("stop_reason").getAsString());
        assertEquals(3, json.getAsJsonArray("residuals").size());
        assertEquals(3, json.getAsJsonArray("slices").size());
        ImageFiles.LoadedImage written = ImageFiles.read(out);
        assertArrayEquals(new long[] {33, 33, 3}, Intervals.dimensionsAsLongArray(written.image()));
        float[] all = FloatImages.data(written.image());
        double ssimSum = 0;
        for (int z = 0; z < 3; z++) {
            Img<FloatType> truth = FloatImages.copy(Views.hyperSlice(volume, 2, z));
            Reconstruction.Outcome expected = Reconstruction.reconstructCt(FloatImages.copy(Views.hyperSlice(sinos, 2, z)),
                    angles, 33, new Reconstruction.Settings(Method.SIRT, 5, 0, 0.01), null, null, null);
            assertArrayEquals(FloatImages.data(expected.image()), slice(all, z, 33 * 33), 0f, "slice " + z);
            assertEquals(5, json.getAsJsonArray("residuals").get(z).getAsJsonArray().size());
            JsonObject row = json.getAsJsonArray("slices").get(z).getAsJsonObject();
            assertEquals(z + 1, row.get("slice").getAsInt());
            assertEquals(Metrics.psnr(expected.image(), truth), row.get("psnr").getAsDouble(), 1e-9);
            ssimSum += row.get("ssim").getAsDouble();
        }
        assertEquals(Metrics.psnr(written.image(), volume), json.get("psnr").getAsDouble(), 1e-9);
        assertEquals(ssimSum / 3, json.get("ssim").getAsDouble(), 1e-12);
        // a reference of one slice does not fit a stack
        var bad = CliTestSupport.run("reconstruct", sino.toString(), dir.resolve("o.tif").toString(), "--angles",
                "0:180:30", "--method", "fbp", "--reference", save(phantom(33, 33), dir.resolve("r2.tif")).toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("[33, 33, 3]"), bad.err());
    }

    @Test
    void aSinogramStackLargerThanTheHeapIsReconstructedPlaneByPlane(@TempDir Path dir) throws Exception {
        // 1,200 slices of 128 x 128: a 78 MB result, more than the 64 MB heap of the command
        int slices = 1200;
        double[] angles = Angles.uniform(8);
        Img<FloatType> one = Simulation.sinogram(phantom(128, 128), angles);
        float[] plane = FloatImages.data(one);
        float[] all = new float[plane.length * slices];
        for (int z = 0; z < slices; z++) {
            for (int i = 0; i < plane.length; i++) {
                all[z * plane.length + i] = plane[i] * (1 + z % 7);
            }
        }
        Path sino = save(FloatImages.wrap(all, 128, 8, slices), dir.resolve("sino.tif"));
        all = null;
        Path out = dir.resolve("fbp.tif");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Lpnp.class.getName(), "reconstruct", sino.toString(),
                out.toString(), "--angles", "8", "--method", "fbp", "--quiet", "--json");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertEquals(slices, ImageFiles.planes(out));
        for (int z : new int[] {0, 5, slices - 1}) {
            Img<FloatType> expected = Reconstruction.fbp(FloatImages.wrap(Arrays.copyOf(plane, plane.length), 128, 8),
                    angles, 128, Fbp.Window.RAM_LAK);
            float[] e = FloatImages.data(expected);
            for (int i = 0; i < e.length; i++) {
                e[i] *= 1 + z % 7;
            }
            assertArrayEquals(e, FloatImages.data(ImageFiles.readPlane(out, z).image()), 1e-4f * (1 + z % 7), "slice " + z);
        }
        assertFalse(Files.exists(dir.resolve(".fbp.tif.parts")));
    }

    @Test
    void aBadSliceDeepInAStackIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Img<FloatType> volume = phantom(17, 17, 4);
        double[] angles = Angles.parse("0:180:12", 12);
        Img<FloatType> sinos = sinogramStack(volume, angles);
        Views.hyperSlice(sinos, 2, 3).firstElement().set(Float.NaN);
        Path sino = save(sinos, dir.resolve("sino.tif"));
        Path out = dir.resolve("out.tif");
        var r = CliTestSupport.run("reconstruct", sino.toString(), out.toString(), "--angles", "0:180:12", "--method",
                "sirt", "--iterations", "5");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("slice 3") && r.err().contains("non-finite"), r.err());
        assertFalse(r.err().contains("%"), "no progress: nothing was solved\n" + r.err());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve(".out.tif.parts")));
        // the same stack without the NaN, with a reference: the PSNR is over the whole volume
        Path ref = save(phantom(17, 17, 4), dir.resolve("ref.tif"));
        var ok = CliTestSupport.run("reconstruct", save(sinogramStack(volume, angles), dir.resolve("s2.tif")).toString(),
                out.toString(), "--angles", "0:180:12", "--method", "fbp", "--reference", ref.toString(), "--json");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals(Metrics.psnr(ImageFiles.read(out).image(), volume), ok.json().get("psnr").getAsDouble(), 1e-9);
    }

    @Test
    void theProgressBarOfAStackCountsTheIterationsOfAllSlices() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("reconstruct", false, true, new java.io.PrintStream(err, true));
        ReconstructCommand cmd = new ReconstructCommand();
        cmd.iterations = 10;
        try (CancelOnSignal cancel = new CancelOnSignal()) {
            assertTrue(cmd.listener(bar, 2, 4, "slice 3/4, ", cancel).onIteration(5, 0.5, null));
        }
        String line = err.toString();
        assertTrue(line.contains("25/40") && line.contains("slice 3/4, residual 5.000e-01"), line);
    }

    @Test
    void ctrlCOnAStackKeepsTheSliceBeingSolvedAndFillsTheRestWithFbp(@TempDir Path dir) throws Exception {
        Img<FloatType> volume = phantom(33, 33, 3);
        double[] angles = Angles.parse("0:180:30", 30);
        Img<FloatType> sinos = sinogramStack(volume, angles);
        Path sino = save(sinos, dir.resolve("sino.tif"));
        Path out = dir.resolve("out.tif");
        SolveSupport.cancelAfterForTests = 2;
        try {
            var r = CliTestSupport.run("reconstruct", sino.toString(), out.toString(), "--angles", "0:180:30",
                    "--method", "tv", "--iterations", "40", "--tolerance", "0", "--json");
            assertEquals(130, r.exitCode(), r.err());
            assertEquals("CANCELLED", r.json().get("stop_reason").getAsString());
            assertFalse(Files.exists(dir.resolve(".out.tif.parts")));
            var slices = r.json().getAsJsonArray("slices");
            assertEquals("CANCELLED", slices.get(0).getAsJsonObject().get("stop_reason").getAsString());
            assertEquals(2, slices.get(0).getAsJsonObject().get("iterations").getAsInt());
            float[] all = read(out);
            for (int z = 1; z < 3; z++) {
                assertEquals("FBP_AFTER_CANCEL", slices.get(z).getAsJsonObject().get("stop_reason").getAsString());
                assertArrayEquals(FloatImages.data(Reconstruction.fbp(FloatImages.copy(Views.hyperSlice(sinos, 2, z)),
                        angles, 33)), slice(all, z, 33 * 33), 0f, "slice " + z);
            }
        } finally {
            SolveSupport.cancelAfterForTests = 0;
        }
    }

    @Test
    void reconstructRefusesMismatchedAnglesWithAClearMessage(@TempDir Path dir) {
        double[] angles = Angles.uniform(20);
        Path sino = save(Simulation.sinogram(phantom(21, 21), angles), dir.resolve("sino.tif"));
        String out = dir.resolve("o.tif").toString();
        var wrongCount = CliTestSupport.run("reconstruct", sino.toString(), out, "--angles", "0:180:60", "--method", "fbp");
        assertEquals(2, wrongCount.exitCode());
        assertTrue(wrongCount.err().contains("20 angles (rows)") && wrongCount.err().contains("60"), wrongCount.err());
        var transposed = CliTestSupport.run("reconstruct", sino.toString(), out, "--angles", "0:180:21", "--method", "fbp");
        assertEquals(2, transposed.exitCode());
        assertTrue(transposed.err().contains("transposed"), transposed.err());
        for (String spec : new String[] {"0:180", "a,b", "nonsense", "0:180:0"}) {
            var r = CliTestSupport.run("reconstruct", sino.toString(), out, "--angles", spec, "--method", "fbp");
            assertEquals(2, r.exitCode(), spec + ": " + r.err());
        }
        var filter = CliTestSupport.run("reconstruct", sino.toString(), out, "--angles", "20", "--method", "fbp",
                "--filter", "box");
        assertEquals(2, filter.exitCode());
        var method = CliTestSupport.run("reconstruct", sino.toString(), out, "--angles", "20", "--method", "rl2");
        assertEquals(2, method.exitCode());
        assertTrue(method.err().contains("fbp"), method.err());
        assertEquals(0, CliTestSupport.run("reconstruct", sino.toString(), out, "--angles", "20", "--method", "fbp")
                .exitCode());
    }

    @Test
    void psfCommandWritesTheOpticsPsf(@TempDir Path dir) {
        Path out = dir.resolve("psf.tif");
        var r = CliTestSupport.run("psf", out.toString(), "--model", "gaussian", "--na", "1.2", "--wavelength", "500",
                "--refractive-index", "1.33", "--pixel-size", "80", "--z-step", "250", "--size", "15", "--planes", "5",
                "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertContract(r.json(), "gaussian");
        var loaded = ImageFiles.read(out);
        assertArrayEquals(new long[] {15, 15, 5}, Intervals.dimensionsAsLongArray(loaded.image()));
        assertEquals(0.08, loaded.calibration().pixelWidth(), 1e-9);
        Img<FloatType> expected = new Optics(Optics.Model.GAUSSIAN, 1.2, 500, 1.33).generate(80, 250, 15, 5, true);
        assertArrayEquals(FloatImages.data(expected), FloatImages.data(loaded.image()), 0f);
        var bw = CliTestSupport.run("psf", dir.resolve("bw.tif").toString(), "--size", "9", "--json");
        assertEquals(0, bw.exitCode(), bw.err());
        assertContract(bw.json(), "born-wolf");
        assertEquals(2, CliTestSupport.run("psf", dir.resolve("x.tif").toString(), "--size", "10").exitCode());
        assertEquals(2, CliTestSupport.run("psf", dir.resolve("x.tif").toString(), "--na", "1.6").exitCode());
        assertEquals(2, CliTestSupport.run("psf", dir.resolve("x.tif").toString(), "--model", "airy").exitCode());
    }

    @Test
    void simulateMatchesThePipeline(@TempDir Path dir) throws Exception {
        Img<FloatType> clean = phantom(21, 21);
        Path in = save(clean, dir.resolve("clean.tif"));
        byte[] before = Files.readAllBytes(in);
        var blur = CliTestSupport.run("simulate", in.toString(), dir.resolve("b.tif").toString(), "--blur-sigma", "1.5",
                "--level", "0.03", "--seed", "4", "--json");
        assertEquals(0, blur.exitCode(), blur.err());
        assertContract(blur.json(), "blur");
        Img<FloatType> expected = Simulation.noise(Simulation.blur(clean, Psf.gaussian2D(1.5, 13), Boundary.REFLECTIVE),
                Simulation.NoiseKind.GAUSSIAN, 0.03, Scaling.minMax(clean), 4);
        assertArrayEquals(FloatImages.data(expected), read(dir.resolve("b.tif")), 0f);

        var sino = CliTestSupport.run("simulate", in.toString(), dir.resolve("s.tif").toString(), "--acquisition",
                "sinogram", "--angles", "0:180:12", "--noise", "none", "--json");
        assertEquals(0, sino.exitCode(), sino.err());
        assertArrayEquals(FloatImages.data(Simulation.sinogram(clean, Angles.parse("0:180:12", 12))),
                read(dir.resolve("s.tif")), 0f);

        var mask = CliTestSupport.run("simulate", in.toString(), dir.resolve("m.tif").toString(), "--acquisition",
                "mask", "--missing", "0.3", "--noise", "poisson", "--level", "100", "--json");
        assertEquals(0, mask.exitCode(), mask.err());
        assertTrue(Files.exists(dir.resolve("m_mask.tif")));
        assertEquals(dir.resolve("m_mask.tif").toString(), mask.json().get("mask").getAsString());
        assertArrayEquals(before, Files.readAllBytes(in));

        assertEquals(2, CliTestSupport.run("simulate", save(phantom(21, 15), dir.resolve("rect.tif")).toString(),
                dir.resolve("x.tif").toString(), "--acquisition", "sinogram").exitCode());
        assertEquals(2, CliTestSupport.run("simulate", in.toString(), dir.resolve("y.tif").toString(), "--acquisition",
                "xray").exitCode());
        assertEquals(2, CliTestSupport.run("simulate", in.toString(), dir.resolve("z.tif").toString(), "--noise",
                "poisson", "--level", "0").exitCode());
    }

    @Test
    void noiseEstimateForTheDefaultModel() {
        Img<FloatType> flat = FloatImages.wrap(new float[64 * 64], 64, 64);
        double sigma = io.github.lipschitzpnp.pipeline.NoiseLevel.estimate(
                io.github.lipschitzpnp.physics.Noise.gaussian(flat, 0.06, 9));
        assertEquals(0.06, sigma, 0.006, "MAD estimate of sigma 0.06");
        double smooth = io.github.lipschitzpnp.pipeline.NoiseLevel.estimate(phantom(64, 64));
        assertTrue(smooth < 0.01, "smooth image, no noise: " + smooth);
        // with a mask: missing pixels (set to 0) are left out of the estimate
        Img<FloatType> mask = Simulation.randomMask(new long[] {64, 64}, 0.3, 2);
        Img<FloatType> masked = Simulation.applyMask(io.github.lipschitzpnp.physics.Noise.gaussian(phantom(64, 64), 0.05,
                3), mask);
        double withMask = io.github.lipschitzpnp.pipeline.NoiseLevel.estimate(masked, mask);
        double without = io.github.lipschitzpnp.pipeline.NoiseLevel.estimate(masked);
        assertEquals(0.05, withMask, 0.008, "masked estimate");
        assertTrue(without > 2 * withMask, "holes inflate the plain estimate: " + without);
    }

    @Test
    void defaultModelFollowsTheNoiseLevel() {
        DeconvolveCommand c = new DeconvolveCommand();
        c.common.quiet = true;
        Img<FloatType> img = phantom(64, 64);
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        c.noiseSigma = 15 / 255.0;
        assertEquals("gauss15", c.defaultModel(Method.PNP_ADMM, img, null, json));
        c.noiseSigma = 4 / 255.0;
        assertEquals("gauss5", c.defaultModel(Method.PNP_ADMM, img, null, json));
        c.noiseSigma = 0.1;
        assertEquals("gauss25", c.defaultModel(Method.PNP_ADMM, img, null, json));
        c.noiseSigma = 0.2;
        assertEquals("gauss50", c.defaultModel(Method.PNP_ADMM, img, null, json));
        assertTrue(json.isEmpty(), "no estimate when --noise-sigma is given");
        // estimated: Gaussian noise of 0.1 on a smooth image, measured on the [0, 1] min..max scale
        c.noiseSigma = null;
        Img<FloatType> noisy = io.github.lipschitzpnp.physics.Noise.gaussian(img, 0.1, 4);
        String chosen = c.defaultModel(Method.PNP_PGD, noisy, null, json);
        double expected = 0.1 / Scaling.minMax(noisy).span();
        double est = (Double) json.get("noise_sigma_estimate");
        assertEquals(expected, est, 0.15 * expected, "estimate " + est + " vs " + expected);
        assertTrue(BundledModels.names().contains(chosen));
        assertEquals(2, CliTestSupport.run("deconvolve", "x.tif", "y.tif", "--psf-gaussian", "1", "--noise-sigma",
                "-1").exitCode());
    }

    @Test
    void methodParsingFollowsTheEnum() {
        for (Method m : Method.values()) {
            assertEquals(m, SolveSupport.parseMethod(m.key()));
        }
        assertEquals(Method.RICHARDSON_LUCY, SolveSupport.parseMethod("rl"));
        assertEquals(Method.WIENER, SolveSupport.parseMethod("WIENER"));
        assertTrue(Arrays.stream(Method.values()).anyMatch(m -> m.key().equals("wiener")));
    }
}
