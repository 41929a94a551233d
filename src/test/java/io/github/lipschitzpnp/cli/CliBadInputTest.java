package io.github.lipschitzpnp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.BadImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on the command line, as a table: every (subcommand, bad input) row must end with exit
 * code 2, a message containing the row's fragment, no stack trace, and the fixture folder exactly
 * as it was (nothing written, nothing overwritten, no temporary file left).
 *
 * <p>To cover a new subcommand that reads an image and writes one (deconvolve, reconstruct,
 * inpaint, ...), add one line to {@link #imageCommands()}: it receives every bad image of
 * {@link #badImages()} and every bad output of {@link #badOutputs()}. Rows specific to one
 * command go into {@link #otherRows()}.
 */
class CliBadInputTest {

    @TempDir
    static Path dir;

    static Path good;
    static Path exists;
    static final Map<String, Path> IMAGES = new TreeMap<>();

    /** A command that reads image IN and writes image OUT: the arguments for (IN, OUT). */
    record ImageCommand(String name, BiFunction<String, String, String[]> args) {
    }

    /** One row: what to run, what the message must say. */
    record Row(String label, String[] args, String fragment) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** Subcommands taking an image in and an image out. Add new ones here. */
    static List<ImageCommand> imageCommands() {
        return List.of(
                new ImageCommand("denoise", (in, out) -> new String[] {"denoise", in, out, "--device", "cpu"}),
                new ImageCommand("denoise --reference", (in, out) -> new String[] {"denoise", good.toString(), out,
                    "--reference", in, "--device", "cpu"}),
                new ImageCommand("deconvolve", (in, out) -> new String[] {"deconvolve", in, out, "--psf-gaussian", "1",
                    "--method", "wiener"}),
                new ImageCommand("deconvolve --reference", (in, out) -> new String[] {"deconvolve", good.toString(), out,
                    "--psf-gaussian", "1", "--method", "wiener", "--reference", in}),
                new ImageCommand("inpaint", (in, out) -> new String[] {"inpaint", in, good.toString(), out,
                    "--method", "tv"}),
                new ImageCommand("reconstruct", (in, out) -> new String[] {"reconstruct", in, out, "--angles",
                    "0:180:32", "--method", "fbp"}),
                new ImageCommand("simulate", (in, out) -> new String[] {"simulate", in, out, "--acquisition", "blur"}));
    }

    /** Bad input images (name -> expected message fragment); the files are made in {@link #fixtures()}. */
    static Map<String, String> badImages() {
        Map<String, String> m = new TreeMap<>();
        m.put("nan.tif", "non-finite pixel");
        m.put("inf.tif", "non-finite pixel");
        m.put("one-pixel.tif", "too small");
        m.put("rgb.tif", "RGB image");
        m.put("complex.tif", "channel");
        m.put("huge.tif", "-Xmx");
        m.put("missing.tif", "not found");
        m.put("folder.tif", "is a directory");
        m.put("empty.tif", "empty (0 bytes)");
        m.put("text.tif", "not a TIFF");
        return m;
    }

    /** Bad output paths (label -> path and fragment). */
    static List<String[]> badOutputs() {
        List<String[]> m = new ArrayList<>();
        m.add(new String[] {"existing output", exists.toString(), "already exists"});
        m.add(new String[] {"output is the input", good.toString(), "onto the input"});
        m.add(new String[] {"output folder missing", dir.resolve("no-such-dir/out.tif").toString(), "does not exist"});
        m.add(new String[] {"output parent is a file", good.resolve("out.tif").toString(), "not a directory"});
        m.add(new String[] {"output is a folder", dir.resolve("folder.tif").toString(), "is a directory"});
        if (!isRoot()) {
            m.add(new String[] {"output folder read-only", dir.resolve("readonly/out.tif").toString(), "not writable"});
        }
        return m;
    }

    /** Rows for one command only. */
    static List<Row> otherRows() {
        String g = good.toString();
        String out = dir.resolve("never.tif").toString();
        String model = dir.resolve("never.lpnp.zip").toString();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("denoise: negative sigma", new String[] {"denoise", g, out, "--sigma", "-1"}, "--sigma"));
        rows.add(new Row("denoise: NaN sigma", new String[] {"denoise", g, out, "--sigma", "NaN"}, "--sigma"));
        rows.add(new Row("denoise: missing model file", new String[] {"denoise", g, out, "--model",
            dir.resolve("missing.lpnp.zip").toString(), "--device", "cpu"}, "does not exist"));
        rows.add(new Row("denoise: model is not a zip", new String[] {"denoise", g, out, "--model",
            dir.resolve("text.zip").toString(), "--device", "cpu"}, "not a zip"));
        rows.add(new Row("denoise: reference of another size", new String[] {"denoise", g, out, "--reference",
            IMAGES.get("small.tif").toString(), "--device", "cpu"}, "give the clean version"));
        rows.add(new Row("denoise: unknown device", new String[] {"denoise", g, out, "--device", "tpu"}, "tpu"));
        rows.add(new Row("certify: missing file", new String[] {"certify", dir.resolve("missing.lpnp.zip")
            .toString()}, "does not exist"));
        rows.add(new Row("certify: text file", new String[] {"certify", dir.resolve("text.zip").toString()},
            "not a zip"));
        rows.add(new Row("certify: unknown name", new String[] {"certify", "gauss999"}, "neither a bundled model"));
        rows.add(new Row("certify: no argument", new String[] {"certify"}, "give a model file"));
        rows.add(new Row("info: unknown device", new String[] {"info", "--device", "tpu"}, "tpu"));
        // train: every bad input is refused before any step runs.
        String[][] trainCases = {
            {"train: missing folder", "missing-folder", model, "not a folder"},
            {"train: folder without images", "no-images", model, "no 2D"},
            {"train: NaN pixels", "train-nan", model, "non-finite pixel"},
            {"train: RGB image", "train-rgb", model, "RGB image"},
            {"train: only a stack", "train-stack", model, "3D"},
            {"train: 1-pixel image", "train-tiny", model, "too small for patches"},
            {"train: existing output", "train-good", exists.toString(), "exists"},
            {"train: output folder missing", "train-good", dir.resolve("no-such-dir/m.lpnp.zip").toString(),
                "does not exist"},
            {"train: output parent is a file", "train-good", good.resolve("m.lpnp.zip").toString(), "not a directory"},
        };
        for (String[] t : trainCases) {
            rows.add(new Row(t[0], new String[] {"train", "--images", dir.resolve(t[1]).toString(), "-o", t[2],
                "--steps", "1", "--patch", "16", "--device", "cpu"}, t[3]));
        }
        rows.add(new Row("train: bad sigma", new String[] {"train", "--images", dir.resolve("train-good").toString(),
            "-o", model, "--sigma", "2"}, "not a noise level"));
        rows.add(new Row("train: contrast 0", new String[] {"train", "--images", dir.resolve("train-good").toString(),
            "-o", model, "--contrast", "0"}, "--contrast must lie in (0, 1]"));
        rows.add(new Row("train: zoom below 1", new String[] {"train", "--images", dir.resolve("train-good").toString(),
            "-o", model, "--zoom", "0.5"}, "--zoom must lie in [1, 8]"));
        rows.add(new Row("train: more coarse blocks than blocks", new String[] {"train", "--images",
            dir.resolve("train-good").toString(), "-o", model, "--depth", "2", "--coarse-blocks", "3"},
            "--coarse-blocks must be between 0 and --depth"));
        rows.add(new Row("train: unknown activation", new String[] {"train", "--images",
            dir.resolve("train-good").toString(), "-o", model, "--activation", "gelu"}, "hardtanh"));
        return rows;
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (ImageCommand c : imageCommands()) {
            for (Map.Entry<String, String> bad : badImages().entrySet()) {
                // reconstruct reads a stack one plane at a time, so a volume larger than the memory is
                // no error there: this one (4096 x 4096 x 2000) is refused for its angles instead
                String fragment = c.name().equals("reconstruct") && bad.getKey().equals("huge.tif")
                        ? "4096 angles (rows) but --angles 0:180:32 gives 32" : bad.getValue();
                rows.add(new Row(c.name() + ": " + bad.getKey(), c.args().apply(dir.resolve(bad.getKey()).toString(),
                        dir.resolve("never.tif").toString()), fragment));
            }
            if (c.name().contains("--reference")) {
                continue;
            }
            for (String[] o : badOutputs()) {
                rows.add(new Row(c.name() + ": " + o[0], c.args().apply(good.toString(), o[1]), o[2]));
            }
        }
        rows.addAll(otherRows());
        return rows.stream();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @BeforeAll
    static void fixtures() throws IOException {
        good = BadImages.good(dir, "good.tif");
        exists = dir.resolve("exists.tif");
        Files.writeString(exists, "a file the user owns");
        IMAGES.put("small.tif", BadImages.sized(dir, "small.tif", 16, 16));
        BadImages.withPixel(dir, "nan.tif", Float.NaN);
        BadImages.withPixel(dir, "inf.tif", Float.POSITIVE_INFINITY);
        BadImages.sized(dir, "one-pixel.tif", 1, 1);
        BadImages.rgb(dir, "rgb.tif");
        BadImages.complex(dir, "complex.tif");
        BadImages.huge(dir, "huge.tif", 4096, 4096, 2000);
        Files.createDirectory(dir.resolve("folder.tif"));
        Files.createFile(dir.resolve("empty.tif"));
        Files.writeString(dir.resolve("text.tif"), "these are not pixels\n");
        Files.writeString(dir.resolve("text.zip"), "this is not a model\n");
        Path ro = Files.createDirectory(dir.resolve("readonly"));
        ro.toFile().setWritable(false, false);
        Files.createDirectory(dir.resolve("no-images"));
        Files.writeString(dir.resolve("no-images/readme.txt"), "no images here");
        for (String d : new String[] {"train-nan", "train-rgb", "train-stack", "train-tiny", "train-good"}) {
            Files.createDirectory(dir.resolve(d));
        }
        BadImages.good(dir.resolve("train-nan"), "a.tif");
        BadImages.withPixel(dir.resolve("train-nan"), "b.tif", Float.NaN);
        BadImages.good(dir.resolve("train-rgb"), "a.tif");
        BadImages.rgb(dir.resolve("train-rgb"), "b.tif");
        BadImages.stack(dir.resolve("train-stack"), "a.tif");
        BadImages.good(dir.resolve("train-tiny"), "a.tif");
        BadImages.sized(dir.resolve("train-tiny"), "b.tif", 1, 1);
        BadImages.good(dir.resolve("train-good"), "a.tif");
        BadImages.good(dir.resolve("train-good"), "b.tif");
    }

    /** Every file under the fixture folder with its size and modification time. */
    static List<String> snapshot() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().map(p -> {
                try {
                    return dir.relativize(p) + " " + (Files.isDirectory(p) ? "dir" : Files.size(p) + " "
                            + Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    return p + " ?";
                }
            }).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputExitsWithCodeTwoAClearMessageAndWritesNothing(Row row) throws IOException {
        List<String> before = snapshot();
        byte[] existing = Files.readAllBytes(exists);
        CliTestSupport.Result r = CliTestSupport.run(row.args());
        assertEquals(Lpnp.EXIT_BAD_INPUT, r.exitCode(), () -> row + ": exit " + r.exitCode() + "\n" + r.err());
        assertTrue(r.err().contains(row.fragment()), () -> row + ": message lacks '" + row.fragment() + "':\n"
                + r.err());
        assertFalse(r.err().contains("\tat "), () -> row + ": stack trace shown:\n" + r.err());
        assertEquals(before, snapshot(), row + ": the folder changed");
        assertArrayEquals(existing, Files.readAllBytes(exists), row + ": an existing file was changed");
    }
}
