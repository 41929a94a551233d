package io.github.lipschitzpnp.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.lipschitzpnp.bench.MemorySoak;
import io.github.lipschitzpnp.image.BadImages;
import io.github.lipschitzpnp.image.ImageFileException;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.physics.PsfCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the loaders, bounded in time: mutated TIFFs (written by ImageFiles), mutated
 * PSF files, and mutated {@code .lpnp.zip} model files (flipped and truncated bytes, edited
 * model.json fields with a forged checksum). Every case must load or fail with our own error
 * type, within a per-case timeout; anything else (an unchecked exception, an Error, a hang) fails
 * the test with the seed and case number to replay it. {@code -Dlpnp.fuzz.seconds=N} runs longer.
 */
class LoaderFuzzTest {

    static final long SEED = Long.getLong("lpnp.fuzz.seed", 20250611L);
    static final double SECONDS = Double.parseDouble(System.getProperty("lpnp.fuzz.seconds", "20"));
    static final long CASE_TIMEOUT_S = 20;

    @TempDir
    static Path dir;
    static ExecutorService runner;
    static List<byte[]> tiffs = new ArrayList<>();
    static byte[] psfTiff;
    static byte[] modelZip;
    static String modelJson;
    static byte[] modelParams;

    /** One case's outcome for the counts. */
    enum Outcome { LOADED, REFUSED }

    @FunctionalInterface
    interface Case {
        Outcome run() throws Exception;

        /** Makes case number {@code n} from the random stream (on the test thread, so the seed replays). */
        @FunctionalInterface
        interface Factory {
            Case next(Random r, int n) throws Exception;
        }
    }

    @BeforeAll
    static void bases() throws Exception {
        runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        tiffs.add(Files.readAllBytes(BadImages.good(dir, "f32.tif")));
        tiffs.add(Files.readAllBytes(BadImages.stack(dir, "stack.tif")));
        ij.ImagePlus gray16 = new ij.ImagePlus("g16", new ij.process.ShortProcessor(20, 12));
        Path p16 = dir.resolve("g16.tif");
        ImageFiles.writeTiff(gray16, p16, ImageFiles.WriteOptions.overwriting());
        tiffs.add(Files.readAllBytes(p16));
        psfTiff = Files.readAllBytes(BadImages.tiff(dir, "psf.tif", Psf.gaussian2D(1.5, 9)));
        Path model = dir.resolve("m.lpnp.zip");
        try (DenoiserModel m = MemorySoak.smallNetwork(2, 1)) {
            m.save(model);
        }
        modelZip = Files.readAllBytes(model);
        ModelArchive a = ModelArchive.read(model);
        modelJson = a.specJson();
        modelParams = a.parameters();
    }

    @AfterAll
    static void stop() {
        runner.shutdownNow();
    }

    static byte[] mutateBytes(byte[] base, Random r) {
        byte[] b = base.clone();
        switch (r.nextInt(4)) {
            case 0 -> { // flip a few bytes, mostly in the header
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    int at = r.nextDouble() < 0.7 ? r.nextInt(Math.min(b.length, 256)) : r.nextInt(b.length);
                    b[at] = (byte) r.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncate
            case 2 -> { // an extreme 32-bit value somewhere in the header
                int at = r.nextInt(Math.max(1, Math.min(b.length, 256) - 4));
                int v = new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65535, 1 << 20}[r.nextInt(6)];
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (v >>> (8 * k));
                }
            }
            default -> { // a random slice of the file duplicated over another place
                int from = r.nextInt(b.length);
                int to = r.nextInt(b.length);
                int len = Math.min(r.nextInt(64) + 1, Math.min(b.length - from, b.length - to));
                System.arraycopy(b.clone(), from, b, to, len);
            }
        }
        return b;
    }

    static JsonElement hostileValue(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> new JsonPrimitive(-1);
            case 1 -> new JsonPrimitive(0);
            case 2 -> new JsonPrimitive(Integer.MAX_VALUE);
            case 3 -> new JsonPrimitive(1e308);
            case 4 -> new JsonPrimitive("NaN");
            case 5 -> new JsonPrimitive("");
            case 6 -> new JsonPrimitive(true);
            case 7 -> new JsonObject();
            default -> new JsonPrimitive(r.nextInt(9) - 2);
        };
    }

    /** model.json with one field (top-level or nested) replaced or removed; checksum forged half the time. */
    static byte[] mutateModelJson(Random r) throws Exception {
        JsonObject root = JsonParser.parseString(modelJson).getAsJsonObject();
        JsonObject target = root;
        List<String> keys = new ArrayList<>(root.keySet());
        String key = keys.get(r.nextInt(keys.size()));
        if (root.get(key).isJsonObject() && r.nextBoolean() && !root.getAsJsonObject(key).keySet().isEmpty()) {
            target = root.getAsJsonObject(key);
            List<String> inner = new ArrayList<>(target.keySet());
            key = inner.get(r.nextInt(inner.size()));
        }
        if (r.nextInt(5) == 0) {
            target.remove(key);
        } else {
            target.add(key, hostileValue(r));
        }
        if (r.nextBoolean() && !key.equals("parameters_sha256")) {
            root.addProperty("parameters_sha256", ModelArchive.sha256(modelParams));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(ModelArchive.SPEC_ENTRY));
            z.write(root.toString().getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry(ModelArchive.PARAMETERS_ENTRY));
            z.write(modelParams);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    static Outcome readImage(Path f) {
        try {
            ImageFiles.read(f);
            return Outcome.LOADED;
        } catch (ImageFileException e) {
            return Outcome.REFUSED;
        }
    }

    static Outcome readPsf(Path f) {
        ImageFiles.LoadedImage img;
        try {
            img = ImageFiles.read(f);
        } catch (ImageFileException e) {
            return Outcome.REFUSED;
        }
        try {
            // The PSF validator reports bad PSFs as IllegalArgumentException (commands turn it into
            // exit code 2 / a Fiji message); only that validator's refusal is accepted here.
            PsfCheck.check(img.image(), new long[] {64, 64});
            return Outcome.LOADED;
        } catch (IllegalArgumentException e) {
            return Outcome.REFUSED;
        }
    }

    static Outcome loadModel(Path f) {
        try {
            DenoiserModel.load(f, Device.cpu()).close();
            return Outcome.LOADED;
        } catch (ModelFileException e) {
            return Outcome.REFUSED;
        }
    }

    /** Runs cases until the time share is spent; returns {cases, loaded, refused}; collects failures. */
    static int[] fuzz(String kind, double seconds, long seed, Case.Factory factory, List<String> failures)
            throws Exception {
        Random r = new Random(seed);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int[] counts = new int[3];
        while (System.nanoTime() < end && failures.size() < 5) {
            int n = counts[0]++;
            Case c = factory.next(r, n);
            Future<Outcome> f = runner.submit(c::run);
            try {
                Outcome o = f.get(CASE_TIMEOUT_S, TimeUnit.SECONDS);
                counts[o == Outcome.LOADED ? 1 : 2]++;
            } catch (TimeoutException e) {
                f.cancel(true);
                Path keep = Path.of("target", "fuzz-failures");
                Files.createDirectories(keep);
                for (Path p : List.of(dir.resolve("case.tif"), dir.resolve("case.lpnp.zip"))) {
                    if (Files.exists(p)) {
                        Files.copy(p, keep.resolve(kind + "-" + n + "-" + p.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                failures.add(kind + " case " + n + " (seed " + seed + "): no answer within " + CASE_TIMEOUT_S + " s");
                runner.shutdownNow();
                runner = Executors.newSingleThreadExecutor(t -> {
                    Thread th = new Thread(t, "fuzz-case");
                    th.setDaemon(true);
                    return th;
                });
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(kind + " case " + n + " (seed " + seed + "): " + e.getCause());
                e.getCause().printStackTrace();
            }
        }
        System.out.printf("fuzz %-6s %5d cases: %5d loaded, %5d refused with our error, %d failures%n", kind,
                counts[0], counts[1], counts[2], failures.size());
        return counts;
    }

    @Test
    void everyMutatedFileLoadsOrIsRefusedWithOurErrorNeverAHangOrACrash() throws Exception {
        List<String> failures = new ArrayList<>();
        Path f = dir.resolve("case.tif");
        Path m = dir.resolve("case.lpnp.zip");
        int[] tiff = fuzz("tiff", SECONDS * 0.4, SEED, (r, n) -> {
            byte[] bytes = mutateBytes(tiffs.get(r.nextInt(tiffs.size())), r);
            return () -> {
                Files.write(f, bytes);
                return readImage(f);
            };
        }, failures);
        int[] psf = fuzz("psf", SECONDS * 0.2, SEED + 1, (r, n) -> {
            byte[] bytes = mutateBytes(psfTiff, r);
            return () -> {
                Files.write(f, bytes);
                return readPsf(f);
            };
        }, failures);
        int[] model = fuzz("model", SECONDS * 0.4, SEED + 2, (r, n) -> {
            byte[] bytes = r.nextInt(3) == 0 ? mutateModelJson(r) : mutateBytes(modelZip, r);
            return () -> {
                Files.write(m, bytes);
                return loadModel(m);
            };
        }, failures);
        System.out.println("fuzz totals: " + Map.of("tiff", tiff[0], "psf", psf[0], "model", model[0]));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(tiff[2] > 0 && psf[2] > 0 && model[2] > 0, "the mutations must reach the refusals");
        assertTrue(tiff[0] + psf[0] + model[0] >= 300, "too few cases ran");
    }
}
