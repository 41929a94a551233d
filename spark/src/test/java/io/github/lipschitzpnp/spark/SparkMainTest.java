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
    void badOptionsAreUserErrors() {
        StringWriter err = new StringWriter();
        var cl = SparkMain.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("batch", tmp.toString(), "--out", tmp.resolve("o").toString(), "--op", "deconvolve");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--psf"), err.toString());
    }
}
