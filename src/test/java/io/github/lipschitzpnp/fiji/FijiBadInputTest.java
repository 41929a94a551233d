package io.github.lipschitzpnp.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.VirtualStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.lipschitzpnp.image.BadImages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scijava.command.Command;
import org.scijava.module.Module;

/**
 * Bad input to the Fiji commands, as a table: every (command, bad input) row must cancel the
 * command with a message containing the row's fragment (what Fiji shows in its error dialog),
 * produce no output image, leave every input image's pixels untouched and write no file.
 *
 * <p>To cover a new command that takes an image, add one line to {@link #imageCommands()}; it
 * receives every bad image of {@link #badImages()}. Rows for one command go into {@link #otherRows()}.
 */
class FijiBadInputTest {

    @TempDir
    static Path dir;

    /** A command with an image input: the command and its other inputs for a given image. */
    record ImageCommand(String name, Class<? extends Command> command, Function<ImagePlus, Object[]> inputs) {
    }

    record Row(String label, Class<? extends Command> command, Object[] inputs, String fragment) {
        @Override
        public String toString() {
            return label;
        }
    }

    static File modelFile() {
        try {
            return TinyModel.file().toFile();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ImageCommand> imageCommands() {
        return List.of(
                new ImageCommand("Denoise", DenoiseCommand.class, imp -> new Object[] {"image", imp, "model",
                    Models.FROM_FILE, "modelFile", dir.resolve("not-needed.lpnp.zip").toFile(), "device", "cpu"}),
                new ImageCommand("Deconvolve", DeconvolveCommand.class, imp -> new Object[] {"image", imp,
                    "psfSource", CommandSupport.PSF_GAUSSIAN, "na", 0.8, "wavelength", 600.0, "refractiveIndex", 1.0,
                    "method", "Richardson-Lucy", "iterations", 2}),
                new ImageCommand("Inpaint", InpaintCommand.class, imp -> new Object[] {"image", imp, "mask",
                    sameSizeMask(imp), "method", "TV (PDHG)", "iterations", 2}),
                new ImageCommand("Reconstruct CT", ReconstructCtCommand.class, imp -> new Object[] {"sinogram", imp,
                    "method", "FBP"}),
                new ImageCommand("Simulate", SimulateCommand.class, imp -> new Object[] {"image", imp,
                    "acquisition", SimulateCommand.BLUR_GAUSSIAN, "blurSigma", 1.0, "noise", "None"}),
                new ImageCommand("Train Denoiser", TrainDenoiserCommand.class, imp -> new Object[] {"images", imp,
                    "output", dir.resolve("never.lpnp.zip").toFile(), "steps", 1, "patch", 8, "device", "cpu"}));
    }

    static Map<String, Object[]> badImages() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("NaN pixel", new Object[] {floatImage(Float.NaN), "non-finite pixel"});
        m.put("infinite pixel", new Object[] {floatImage(Float.NEGATIVE_INFINITY), "non-finite pixel"});
        m.put("1-pixel image", new Object[] {new ImagePlus("dot", new FloatProcessor(1, 1)), "too small"});
        m.put("RGB image", new Object[] {rgb(), "RGB image"});
        m.put("larger than memory", new Object[] {huge(), "-Xmx"});
        return m;
    }

    static List<Row> otherRows() throws IOException {
        List<Row> rows = new ArrayList<>();
        ImagePlus good = floatImage(1f);
        ImagePlus psf3d = FijiTestImages.stack(9, 3);
        rows.add(new Row("Deconvolve: stack PSF for a 2D image", DeconvolveCommand.class, new Object[] {"image", good,
            "psfSource", CommandSupport.PSF_IMAGE, "psf", psf3d, "method", "CGLS", "iterations", 2}, "use a 2D PSF"));
        rows.add(new Row("Deconvolve: 2D PSF for a stack", DeconvolveCommand.class, new Object[] {"image",
            FijiTestImages.stack(24, 5), "psfSource", CommandSupport.PSF_IMAGE, "psf", floatImage(1f), "method",
            "CGLS", "iterations", 2}, "use a 3D PSF"));
        rows.add(new Row("Deconvolve: PSF with NaN", DeconvolveCommand.class, new Object[] {"image", good,
            "psfSource", CommandSupport.PSF_IMAGE, "psf", floatImage(Float.NaN), "method", "CGLS", "iterations", 2},
            "non-finite pixel"));
        rows.add(new Row("Deconvolve: RGB PSF", DeconvolveCommand.class, new Object[] {"image", good,
            "psfSource", CommandSupport.PSF_IMAGE, "psf", rgb(), "method", "CGLS", "iterations", 2}, "RGB image"));
        rows.add(new Row("Deconvolve: missing model file", DeconvolveCommand.class, new Object[] {"image", good,
            "psfSource", CommandSupport.PSF_IMAGE, "psf", floatImage(1f), "method", "PnP-PGD", "model", Models.FROM_FILE, "modelFile", dir.resolve("missing.lpnp.zip").toFile(),
            "iterations", 2, "device", "cpu"}, "does not exist"));
        rows.add(new Row("Inpaint: mask of another size", InpaintCommand.class, new Object[] {"image", good, "mask",
            new ImagePlus("mask", new FloatProcessor(8, 8)), "method", "TV (PDHG)", "iterations", 2}, "must have the size"));
        rows.add(new Row("Inpaint: RGB mask", InpaintCommand.class, new Object[] {"image", good, "mask", rgb(),
            "method", "TV (PDHG)", "iterations", 2}, "RGB image"));
        Path fewAngles = dir.resolve("angles.txt");
        Files.writeString(fewAngles, "0\n45\n90\n");
        rows.add(new Row("Reconstruct CT: angles file of the wrong length", ReconstructCtCommand.class, new Object[] {
            "sinogram", good, "method", "FBP", "angles", fewAngles.toFile()}, "3"));
        rows.add(new Row("Reconstruct CT: missing angles file", ReconstructCtCommand.class, new Object[] {
            "sinogram", good, "method", "FBP", "angles", dir.resolve("missing-angles.txt").toFile()}, "missing-angles"));
        Path text = dir.resolve("text.lpnp.zip");
        Files.writeString(text, "not a model");
        for (Class<? extends Command> c : List.of(DenoiseCommand.class, ModelInfoCommand.class)) {
            Object[] base = c == DenoiseCommand.class ? new Object[] {"image", good} : new Object[0];
            rows.add(new Row(c.getSimpleName() + ": missing model file", c, concat(base, "model", Models.FROM_FILE,
                "modelFile", dir.resolve("missing.lpnp.zip").toFile(), "device", "cpu"), "does not exist"));
            rows.add(new Row(c.getSimpleName() + ": model file is text", c, concat(base, "model", Models.FROM_FILE,
                "modelFile", text.toFile(), "device", "cpu"), "not a zip"));
            rows.add(new Row(c.getSimpleName() + ": no model file chosen", c, concat(base, "model", Models.FROM_FILE,
                "device", "cpu"), "choose a model file"));
        }
        rows.add(new Row("Generate PSF: larger than memory", GeneratePsfCommand.class, new Object[] {"model",
            "Gaussian", "na", 1.0, "wavelength", 520.0, "refractiveIndex", 1.33, "pixelSize", 65.0, "zStep", 200.0,
            "size", 4001, "planes", 401}, "-Xmx"));
        rows.add(new Row("Generate PSF: even size", GeneratePsfCommand.class, new Object[] {"model", "Gaussian", "na",
            1.0, "wavelength", 520.0, "refractiveIndex", 1.33, "pixelSize", 65.0, "zStep", 200.0, "size", 16,
            "planes", 1}, "odd"));
        Path exists = dir.resolve("exists.lpnp.zip");
        Files.writeString(exists, "the user's file");
        Object[] train = {"images", FijiTestImages.cell(32, 16), "steps", 1, "patch", 8, "device", "cpu"};
        rows.add(new Row("Train Denoiser: output exists", TrainDenoiserCommand.class, concat(train, "output",
            exists.toFile()), "exists"));
        rows.add(new Row("Train Denoiser: output folder missing", TrainDenoiserCommand.class, concat(train, "output",
            dir.resolve("no-such-dir/m.lpnp.zip").toFile()), "does not exist"));
        rows.add(new Row("Train Denoiser: missing images folder", TrainDenoiserCommand.class, new Object[] {"folder",
            dir.resolve("no-such-folder").toFile(), "output", dir.resolve("never.lpnp.zip").toFile(), "steps", 1,
            "device", "cpu"}, "not a folder"));
        rows.add(new Row("Train Denoiser: images smaller than the patch", TrainDenoiserCommand.class, new Object[] {
            "images", floatImage(1f), "output", dir.resolve("never.lpnp.zip").toFile(), "steps", 1, "patch", 64,
            "device", "cpu"}, "64"));
        return rows;
    }

    static Stream<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (ImageCommand c : imageCommands()) {
            for (Map.Entry<String, Object[]> bad : badImages().entrySet()) {
                rows.add(new Row(c.name() + ": " + bad.getKey(), c.command(),
                        c.inputs().apply((ImagePlus) bad.getValue()[0]), (String) bad.getValue()[1]));
            }
        }
        rows.addAll(otherRows());
        return rows.stream();
    }

    @BeforeAll
    static void warmUp() {
        FijiTestSupport.context();
    }

    static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** 24 x 24 smooth 32-bit image; {@code special} at (3, 4) unless it is 1. */
    static ImagePlus floatImage(float special) {
        float[] d = io.github.lipschitzpnp.image.FloatImages.data(BadImages.smooth(24, 24)).clone();
        if (special != 1f) {
            d[4 * 24 + 3] = special;
        }
        return new ImagePlus("img-" + special, new FloatProcessor(24, 24, d));
    }

    static ImagePlus sameSizeMask(ImagePlus imp) {
        FloatProcessor fp = new FloatProcessor(Math.max(1, imp.getWidth()), Math.max(1, imp.getHeight()));
        fp.set(1);
        return new ImagePlus("mask", fp);
    }

    static ImagePlus rgb() {
        ColorProcessor cp = new ColorProcessor(24, 24);
        for (int i = 0; i < 24 * 24; i++) {
            cp.set(i % 24, i / 24, (i << 16) | ((255 - i % 256) << 8));
        }
        return new ImagePlus("colour", cp);
    }

    /** A virtual stack of 20,000 planes of 2048 x 2048 32-bit pixels (335 GB): nothing is allocated up front. */
    static ImagePlus huge() {
        VirtualStack st = new VirtualStack(2048, 2048, null, null) {
            @Override
            public int getSize() {
                return 20_000;
            }

            @Override
            public ImageProcessor getProcessor(int n) {
                return new FloatProcessor(2048, 2048);
            }

            @Override
            public String getSliceLabel(int n) {
                return "plane " + n;
            }
        };
        return new ImagePlus("huge", st);
    }

    static List<String> inputChecksums(Object[] inputs) {
        List<String> out = new ArrayList<>();
        for (Object o : inputs) {
            if (o instanceof ImagePlus imp && !(imp.getStack() instanceof VirtualStack)) {
                ImageStack st = imp.getStack();
                for (int i = 1; i <= st.getSize(); i++) {
                    out.add(imp.getTitle() + ":" + i + ":" + Arrays.hashCode(st.getProcessor(i).convertToFloat()
                            .getPixelsCopy() instanceof float[] f ? f : new float[0]));
                }
            }
        }
        return out;
    }

    static List<String> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputCancelsWithAClearMessageAndTouchesNothing(Row row) throws Exception {
        List<String> before = files();
        List<String> pixels = inputChecksums(row.inputs());
        Module m = FijiTestSupport.run(row.command(), row.inputs());
        assertTrue(FijiTestSupport.canceled(m), () -> row + ": not cancelled");
        String reason = FijiTestSupport.cancelReason(m);
        assertTrue(reason != null && reason.contains(row.fragment()), () -> row + ": message lacks '"
                + row.fragment() + "': " + reason);
        for (String out : List.of("result", "maskImage")) {
            if (m.getInfo().getOutput(out) != null) {
                assertNull(m.getOutput(out), row + ": an output image was made");
            }
        }
        assertEquals(pixels, inputChecksums(row.inputs()), row + ": an input image changed");
        assertEquals(before, files(), row + ": files were written");
    }
}
