package io.github.lipschitzpnp.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelArchiveTest {

    @TempDir
    Path dir;

    static ModelSpec spec() {
        return new ModelSpec(null, 0, "test", "denoiser",
                new ModelSpec.Architecture(2, 1, 8, 8, 3, 3, "relu", 0.9, true),
                new ModelSpec.Noise("gaussian", 0.05, 0.05, 0.05, 0),
                Map.of("steps", 10), new ModelSpec.Certificate(0.99, 0.9, 123), Map.of("psnr", 30.0), null);
    }

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    private String refusal(Path file) {
        return assertThrows(ModelFileException.class, () -> ModelArchive.read(file)).getMessage();
    }

    @Test
    void roundTripKeepsSpecAndBytes() throws Exception {
        byte[] params = {1, 2, 3, 4, 5};
        Path file = dir.resolve("m.lpnp.zip");
        ModelArchive.of(spec(), params).write(file);
        ModelArchive back = ModelArchive.read(file);
        assertArrayEquals(params, back.parameters());
        assertEquals(ModelSpec.FORMAT_VERSION, back.spec().formatVersion());
        assertEquals(spec().architecture(), back.spec().architecture());
        assertEquals(0.99, back.spec().certificate().certifiedBound());
        assertTrue(back.specJson().contains("\"certified_bound\""), back.specJson());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void truncatedFileIsRefusedClearly() throws Exception {
        Path file = dir.resolve("m.lpnp.zip");
        ModelArchive.of(spec(), new byte[5000]).write(file);
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.lpnp.zip");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        String msg = refusal(cut);
        assertTrue(msg.contains("cut.lpnp.zip") && (msg.contains("truncated") || msg.contains("incomplete")), msg);
    }

    @Test
    void notAZipIsRefused() throws Exception {
        Path file = dir.resolve("text.lpnp.zip");
        Files.writeString(file, "hello, I am not a model");
        assertTrue(refusal(file).contains("not a zip archive"));
    }

    @Test
    void foreignAndPathTraversalEntriesAreRefused() throws Exception {
        Path foreign = dir.resolve("foreign.zip");
        writeZip(foreign, Map.of("readme.txt", "x".getBytes(StandardCharsets.UTF_8)));
        assertTrue(refusal(foreign).contains("unexpected entry 'readme.txt'"));
        Path traversal = dir.resolve("evil.zip");
        writeZip(traversal, Map.of("../../etc/passwd", new byte[1]));
        assertTrue(refusal(traversal).contains("path-like entry"));
    }

    @Test
    void hugeDecompressedEntryIsRefusedEarly() throws Exception {
        Path bomb = dir.resolve("bomb.zip");
        writeZip(bomb, Map.of(ModelArchive.SPEC_ENTRY, new byte[(int) ModelArchive.MAX_SPEC_BYTES + 10]));
        assertTrue(refusal(bomb).contains("decompresses to more than"));
    }

    @Test
    void wrongFormatVersionNamesTheFix() throws Exception {
        ModelArchive good = ModelArchive.of(spec(), new byte[] {7});
        String json = good.specJson().replace("\"format_version\": 1", "\"format_version\": 99");
        Path file = dir.resolve("future.lpnp.zip");
        writeZip(file, Map.of(ModelArchive.SPEC_ENTRY, json.getBytes(StandardCharsets.UTF_8),
                ModelArchive.PARAMETERS_ENTRY, new byte[] {7}));
        String msg = refusal(file);
        assertTrue(msg.contains("format version 99") && msg.contains("update"), msg);
    }

    @Test
    void editedParametersFailTheChecksum() throws Exception {
        ModelArchive good = ModelArchive.of(spec(), new byte[] {7, 8});
        Path file = dir.resolve("edited.lpnp.zip");
        writeZip(file, Map.of(ModelArchive.SPEC_ENTRY, good.specJson().getBytes(StandardCharsets.UTF_8),
                ModelArchive.PARAMETERS_ENTRY, new byte[] {7, 9}));
        assertTrue(refusal(file).contains("checksum"));
    }

    @Test
    void missingFileSaysHowToNameAModel() {
        assertTrue(refusal(dir.resolve("nope.lpnp.zip")).contains("does not exist"));
    }
}
