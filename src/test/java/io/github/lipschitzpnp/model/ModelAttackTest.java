package io.github.lipschitzpnp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model files under attack, as a table: each row builds a hostile {@code .lpnp.zip} from a real
 * trained model and must be refused by {@link DenoiserModel#load(Path, Device)} with a
 * {@link ModelFileException} whose message contains the row's fragment, with nothing written
 * next to it. New attacks: add a row to {@link #attacks()}.
 */
class ModelAttackTest {

    @TempDir
    static Path dir;
    static String json;
    static byte[] params;
    static String sha;

    record Attack(String label, Supplier<byte[]> file, String fragment) {
        @Override
        public String toString() {
            return label;
        }
    }

    @BeforeAll
    static void realModel() throws Exception {
        Path file = dir.resolve("tiny.lpnp.zip");
        try (DenoiserModel m = TinyModels.train(4, null)) {
            m.save(file);
            // Hostile parameter streams made from the real network (computed once: every load certifies).
            SCALED.put(3f, scaledBytes(m, 3f));
            scaledBytes(m, 1f / 3);
            SCALED.put(Float.POSITIVE_INFINITY, scaledBytes(m, Float.POSITIVE_INFINITY));
            SCALED.put(Float.NaN, scaledBytes(m, Float.NaN));
        }
        ModelArchive a = ModelArchive.read(file);
        json = a.specJson();
        params = a.parameters();
        sha = a.spec().parametersSha256();
        Files.delete(file);
    }

    static byte[] zip(Object... nameAndBytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < nameAndBytes.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) nameAndBytes[i]));
                z.write((byte[]) nameAndBytes[i + 1]);
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] model(String specJson, byte[] parameters) {
        return zip(ModelArchive.SPEC_ENTRY, specJson.getBytes(StandardCharsets.UTF_8), ModelArchive.PARAMETERS_ENTRY,
                parameters);
    }

    /** The spec with a field edited and the checksum forged to match {@code parameters}: an attacker's file. */
    static byte[] forged(String regex, String replacement, byte[] parameters) {
        String edited = json.replaceFirst(regex, replacement);
        if (edited.equals(json) && !regex.isEmpty()) {
            throw new IllegalStateException("pattern " + regex + " not found in model.json");
        }
        return model(edited.replace(sha, ModelArchive.sha256(parameters)), parameters);
    }

    /** The parameter stream with every float32 of the last {@code count} floats replaced by {@code value}. */
    static byte[] withFloats(float value, int count) {
        byte[] p = params.clone();
        ByteBuffer b = ByteBuffer.wrap(p);
        for (int i = 0; i < count; i++) {
            b.putFloat(p.length - 4 * (i + 1), value);
        }
        return p;
    }

    static Stream<Attack> attacks() {
        List<Attack> a = new ArrayList<>();
        a.add(new Attack("empty file", () -> new byte[0], "empty or not a zip"));
        a.add(new Attack("text file", () -> "hello".getBytes(StandardCharsets.UTF_8), "not a zip"));
        a.add(new Attack("truncated zip", () -> Arrays.copyOf(model(json, params), model(json, params).length / 2),
                "truncated"));
        a.add(new Attack("missing parameters.bin", () -> zip(ModelArchive.SPEC_ENTRY, json.getBytes(
                StandardCharsets.UTF_8)), "has no parameters.bin"));
        a.add(new Attack("missing model.json", () -> zip(ModelArchive.PARAMETERS_ENTRY, params), "has no model.json"));
        a.add(new Attack("unexpected entry", () -> zip(ModelArchive.SPEC_ENTRY, json.getBytes(StandardCharsets.UTF_8),
                ModelArchive.PARAMETERS_ENTRY, params, "run.sh", "rm -rf ~".getBytes(StandardCharsets.UTF_8)),
                "unexpected entry"));
        a.add(new Attack("path traversal entry", () -> zip("../../evil.sh", new byte[] {1}), "path-like entry"));
        a.add(new Attack("absolute path entry", () -> zip("/etc/cron.d/x", new byte[] {1}), "path-like entry"));
        a.add(new Attack("duplicate entry", ModelAttackTest::duplicateEntry, "twice"));
        a.add(new Attack("zip bomb (200 MB of zeros, about 200 KB on disk)", () -> zip(ModelArchive.SPEC_ENTRY,
                json.getBytes(StandardCharsets.UTF_8), ModelArchive.PARAMETERS_ENTRY, new byte[200 << 20]),
                "decompresses to more than"));
        a.add(new Attack("model.json is not JSON", () -> model("{not json", params), "not valid JSON"));
        a.add(new Attack("other format", () -> forged("\"format\": \"[^\"]*\"", "\"format\": \"pickle\"", params),
                "does not declare format"));
        a.add(new Attack("format version from the future", () -> forged("\"format_version\": \\d+",
                "\"format_version\": 99", params), "format version 99"));
        a.add(new Attack("edited parameters (checksum)", () -> model(json, withFloats(0.5f, 3)), "checksum"));
        a.add(new Attack("width does not match the parameters", () -> forged("\"width\": \\d+", "\"width\": 5",
                params), "do not fit the architecture"));
        a.add(new Attack("depth does not match the parameters", () -> forged("\"depth\": \\d+", "\"depth\": 3",
                params), "do not fit the architecture"));
        a.add(new Attack("huge architecture, tiny parameter file", () -> forged("\"width\": \\d+",
                "\"width\": 4096", params).length > 0 ? forged("\"hidden\": \\d+,", "\"hidden\": 4096,", params)
                : null, "too small for the architecture"));
        a.add(new Attack("tau above 1", () -> forged("\"tau\": [0-9.]+", "\"tau\": 1.5", params), "tau in (0, 1]"));
        a.add(new Attack("unknown activation", () -> forged("\"activation\": \"[^\"]*\"", "\"activation\": \"exp\"",
                params), "activation"));
        a.add(new Attack("not a denoiser", () -> forged("\"kind\": \"[^\"]*\"", "\"kind\": \"regularizer\"", params),
                "not a denoiser"));
        a.add(new Attack("NaN noise level", () -> forged("\"sigma\": [0-9.eE-]+", "\"sigma\": NaN", params),
                "noise section"));
        a.add(new Attack("negative noise level", () -> forged("\"sigma\": [0-9.eE-]+", "\"sigma\": -0.1", params),
                "noise section"));
        a.add(new Attack("NaN weights", () -> forged("", "", scaled(Float.NaN)), "NaN or infinite"));
        a.add(new Attack("infinite weights", () -> forged("", "", scaled(Float.POSITIVE_INFINITY)),
                "NaN or infinite"));
        a.add(new Attack("weights scaled x3 with a forged checksum", () -> forged("", "", scaled(3)),
                "certified bound"));
        a.add(new Attack("config lies about its certified bound", () -> forged("\"certified_bound\": [0-9.eE-]+",
                "\"certified_bound\": 0.5", params), "claims a certified bound"));
        a.add(new Attack("config claims a bound above 1", () -> forged("\"certified_bound\": [0-9.eE-]+",
                "\"certified_bound\": 1.7", params), "claims a certified bound"));
        return a.stream();
    }

    /** Two entries named model.json: ZipOutputStream refuses that, so the second name is patched in the bytes. */
    static byte[] duplicateEntry() {
        byte[] z = zip(ModelArchive.SPEC_ENTRY, json.getBytes(StandardCharsets.UTF_8), "model.jsoX",
                json.getBytes(StandardCharsets.UTF_8), ModelArchive.PARAMETERS_ENTRY, params);
        String text = new String(z, StandardCharsets.ISO_8859_1).replace("model.jsoX", "model.json");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static final Map<Float, byte[]> SCALED = new java.util.HashMap<>();

    /** The base model's parameters, every weight multiplied by {@code factor} (NaN and infinity included). */
    static byte[] scaled(float factor) {
        return SCALED.get(factor);
    }

    private static byte[] scaledBytes(DenoiserModel m, float factor) {
        for (var p : m.network().getParameters()) {
            p.getValue().getArray().muli(factor);
        }
        return DenoiserModel.parameterBytes(m.network());
    }

    static List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostileModelFileIsRefusedWithAClearMessage(Attack attack) throws Exception {
        Path file = dir.resolve("attack.lpnp.zip");
        Files.write(file, attack.file().get());
        List<String> before = listing();
        ModelFileException e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(file, Device.cpu()).close(),
                attack.label());
        assertTrue(e.getMessage().contains(attack.fragment()), () -> attack + ": message lacks '" + attack.fragment()
                + "': " + e.getMessage());
        assertEquals(before, listing(), attack + ": something was written next to the model");
        Files.delete(file);
    }

    @Test
    void theUnmodifiedBaseModelLoads() throws Exception {
        Path file = dir.resolve("base.lpnp.zip");
        Files.write(file, model(json, params));
        try (DenoiserModel m = DenoiserModel.load(file, Device.cpu())) {
            assertTrue(m.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND);
        }
        Files.delete(file);
    }
}
