package io.github.lipschitzpnp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line (in this JVM: it reuses the test's local Spark context's JVM, not the context). */
class SparkMainTest {

    @TempDir
    Path tmp;

    @Test
    void batchCommandReportsEveryImageAndExitsNonZeroOnAFailure() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(Path.of("..", "sample-images", "eval", "ct_small_mu_128.tif"), in.resolve("ct.tif"));
        Files.write(in.resolve("zz-broken.png"), new byte[] {1, 2, 3});
        LocalSpark.get(); // one context per JVM: the command reuses it (getOrCreate semantics below)
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            var cl = SparkMain.commandLine();
            cl.setErr(new PrintWriter(err));
            code = cl.execute("batch", in.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[2]",
                    "--json", "--quiet");
        } finally {
            System.setOut(old);
        }
        String json = buf.toString(StandardCharsets.UTF_8).strip();
        assertEquals(3, code, err.toString() + json);
        assertTrue(json.contains("\"images\":2") && json.contains("\"failed\":1"), json);
        assertTrue(Files.exists(tmp.resolve("out").resolve("ct.tif")));
    }

    @Test
    void reconstructDefaultsMatchTheLocalCommand() throws Exception {
        SparkMain.OperationOptions ct = new SparkMain.OperationOptions();
        new picocli.CommandLine(ct).parseArgs("--op", "reconstruct", "--angles", "0:180:30");
        var s = ct.jobSpec().settings(15.0 / 255); // rho by the model, resolved on the executors
        assertEquals(io.github.lipschitzpnp.pipeline.Reconstruction.Settings.CT_METHOD, s.method());
        assertEquals(0.1, s.penalty(), 1e-12);
        assertEquals(0.3, ct.jobSpec().settings(5.0 / 255).penalty(), 1e-12);
        SparkMain.OperationOptions rho = new SparkMain.OperationOptions();
        new picocli.CommandLine(rho).parseArgs("--op", "reconstruct", "--angles", "0:180:30", "--rho", "2");
        assertEquals(2, rho.jobSpec().settings().penalty());
        SparkMain.OperationOptions sirt = new SparkMain.OperationOptions();
        new picocli.CommandLine(sirt).parseArgs("--op", "reconstruct", "--angles", "30", "--method", "sirt");
        assertEquals(1, sirt.jobSpec().settings().penalty(), "SIRT has no penalty");
    }

    @Test
    void defaultModelIsPickedFromTheNoiseAsTheLocalCommandsDo() throws Exception {
        var ct = io.github.lipschitzpnp.image.ImageFiles.read(Path.of("..", "sample-images", "eval", "ct_small_mu_128.tif"))
                .image();
        double[] angles = io.github.lipschitzpnp.pipeline.Angles.uniform(60);
        var sino = io.github.lipschitzpnp.pipeline.Simulation.sinogram(ct, angles);
        var scale = io.github.lipschitzpnp.image.Scaling.minMax(sino);
        Path quiet = Files.createDirectories(tmp.resolve("quiet"));
        Path noisy = Files.createDirectories(tmp.resolve("noisy"));
        var kind = io.github.lipschitzpnp.pipeline.Simulation.NoiseKind.GAUSSIAN;
        var none = io.github.lipschitzpnp.image.ImageFiles.WriteOptions.noOverwrite();
        // a 3-slice stack: the middle slice is what the estimate sees
        io.github.lipschitzpnp.image.ImageFiles.writeTiff(io.github.lipschitzpnp.image.FloatImages.stack(java.util.List.of(
                sino, io.github.lipschitzpnp.pipeline.Simulation.noise(sino, kind, 0.002, scale, 1), sino)), null,
                quiet.resolve("s.tif"), none);
        io.github.lipschitzpnp.image.ImageFiles.writeTiff(io.github.lipschitzpnp.pipeline.Simulation.noise(sino, kind, 0.05,
                scale, 2), null, noisy.resolve("s.tif"), none);
        Path broken = tmp.resolve("a-broken.tif");
        Files.write(broken, new byte[] {'I', 'I', 42, 0, 9});
        SparkMain.OperationOptions o = new SparkMain.OperationOptions();
        new picocli.CommandLine(o).parseArgs("--op", "reconstruct", "--angles", "60");
        io.github.lipschitzpnp.cli.CommonOptions common = new io.github.lipschitzpnp.cli.CommonOptions();
        common.quiet = true;
        JobSpec spec = o.jobSpec();
        String low = o.modelSource(spec, "cpu", java.util.List.of(broken, quiet.resolve("s.tif")), common).origin();
        String high = o.modelSource(spec, "cpu", java.util.List.of(noisy.resolve("s.tif")), common).origin();
        assertEquals("bundled:" + localModel(quiet.resolve("s.tif")), low, "a broken first input is skipped");
        assertEquals("bundled:" + localModel(noisy.resolve("s.tif")), high);
        assertTrue(!low.equals(high), low + " for 0.2% noise, " + high + " for 5%");
        SparkMain.OperationOptions given = new SparkMain.OperationOptions();
        new picocli.CommandLine(given).parseArgs("--op", "reconstruct", "--angles", "60", "--model", "gauss15");
        assertEquals("bundled:gauss15", given.modelSource(given.jobSpec(), "cpu", java.util.List.of(noisy.resolve("s.tif")),
                common).origin());
        SparkMain.OperationOptions denoise = new SparkMain.OperationOptions();
        new picocli.CommandLine(denoise).parseArgs("--op", "denoise");
        assertEquals("bundled:gauss15", denoise.modelSource(denoise.jobSpec(), "cpu", java.util.List.of(noisy), common)
                .origin(), "denoise defaults to gauss15, as lpnp denoise");
        org.junit.jupiter.api.Assertions.assertThrows(io.github.lipschitzpnp.cli.UserInputException.class,
                () -> o.modelSource(spec, "cpu", java.util.List.of(broken), common));
    }

    /** The model lpnp reconstruct picks for a sinogram (file) at its defaults, from its JSON. */
    private String localModel(Path sinogram) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = io.github.lipschitzpnp.cli.Lpnp.commandLine().execute("reconstruct", sinogram.toString(),
                    tmp.resolve("local-" + sinogram.getParent().getFileName() + ".tif").toString(), "--angles", "60",
                    "--iterations", "1", "--json", "--quiet");
            assertEquals(0, code);
        } finally {
            System.setOut(old);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"model\":\"([^\"]+)\"").matcher(buf.toString(
                StandardCharsets.UTF_8));
        assertTrue(m.find(), buf.toString(StandardCharsets.UTF_8));
        return m.group(1);
    }

    @Test
    void badOptionsAreUserErrors() {
        StringWriter err = new StringWriter();
        var cl = SparkMain.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("batch", tmp.toString(), "--out", tmp.resolve("o").toString(), "--op", "deconvolve");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--psf"), err.toString());
    }
}
