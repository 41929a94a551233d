package io.github.lipschitzpnp.fiji;

import ij.IJ;
import ij.ImagePlus;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Deconvolves every TIFF of a folder into another folder with the same settings (the Groovy
 * batch example calls this). Existing files in the output folder are never overwritten: such
 * inputs are skipped and reported.
 */
public final class BatchDeconvolution {

    /** What happened to one input file. */
    public record Item(Path input, Path output, String status) {
    }

    private BatchDeconvolution() {
    }

    /**
     * @param psf a PSF image, or null to generate one per image from {@code optics} and its calibration
     */
    public static List<Item> run(Path inputDir, Path outputDir, ImagePlus psf, Optics optics, Boundary boundary,
            Jobs.Solve solve) throws IOException {
        if (!Files.isDirectory(inputDir)) {
            throw new IllegalArgumentException("input folder " + inputDir + " does not exist");
        }
        Files.createDirectories(outputDir);
        if (Files.isSameFile(inputDir, outputDir)) {
            throw new IllegalArgumentException("choose an output folder different from the input folder");
        }
        List<Path> inputs;
        try (Stream<Path> s = Files.list(inputDir)) {
            inputs = s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (n.endsWith(".tif") || n.endsWith(".tiff"));
            }).sorted().toList();
        }
        List<Item> items = new ArrayList<>();
        int i = 0;
        for (Path in : inputs) {
            i++;
            IJ.showStatus("Batch deconvolution: " + i + "/" + inputs.size() + " " + in.getFileName());
            ImagePlus imp = IJ.openImage(in.toString());
            if (imp == null) {
                items.add(new Item(in, null, "skipped: ImageJ cannot open it"));
                continue;
            }
            Jobs.Result r = Jobs.deconvolve(imp, psf, psf == null ? optics : null, boundary, solve, null);
            Path out = outputDir.resolve(r.image().getTitle() + ".tif");
            if (Files.exists(out)) {
                items.add(new Item(in, out, "skipped: " + out.getFileName() + " exists (never overwritten)"));
                continue;
            }
            if (!IJ.saveAsTiff(r.image(), out.toString())) {
                throw new IOException("could not write " + out);
            }
            items.add(new Item(in, out, r.stopped() ? "stopped by Esc; partial result written" : "done"));
            if (r.stopped()) {
                break;
            }
        }
        return items;
    }
}
