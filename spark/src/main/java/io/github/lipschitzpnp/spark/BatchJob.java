package io.github.lipschitzpnp.spark;

import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Metrics;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Batch mode: many images (or sinograms), one Spark task each. The model's bytes are broadcast;
 * each executor JVM loads and certifies the model once ({@link ExecutorModels}); each task reads
 * its image, runs the {@link JobSpec}'s operation through {@link Reconstruction} (the same code as
 * the local CLI), writes {@code OUT/<name>.tif} atomically and returns an {@link ImageRecord}. A
 * failing image (unreadable, wrong size, solver error) becomes a record with its message; the
 * other images are unaffected.
 *
 * <p>Paths must be readable (inputs, references) and writable (output folder) at the same path on
 * every executor: a shared file system, or the local disk in local mode.
 */
public final class BatchJob implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The image formats a folder listing picks up. */
    private static final List<String> EXTENSIONS = List.of(".tif", ".tiff", ".png", ".jpg", ".jpeg", ".gif", ".bmp");

    private final JobSpec spec;
    private final String outDir;
    private final String referenceDir;

    /**
     * @param outDir       output folder (created if missing)
     * @param referenceDir folder with clean images of the same file names, for PSNR (may be null)
     */
    public BatchJob(JobSpec spec, Path outDir, Path referenceDir) {
        this.spec = spec;
        this.outDir = outDir.toAbsolutePath().normalize().toString();
        this.referenceDir = referenceDir == null ? null : referenceDir.toAbsolutePath().normalize().toString();
    }

    /**
     * The inputs: the image files of a folder (sorted by name), or the lines of a list file (one
     * path a line; blank lines and {@code #} comments ignored; relative paths against the list's
     * folder).
     */
    public static List<Path> inputs(Path folderOrList) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(folderOrList)) {
            try (Stream<Path> s = Files.list(folderOrList)) {
                s.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return !n.startsWith(".") && EXTENSIONS.stream().anyMatch(n::endsWith);
                }).sorted().forEach(out::add);
            }
        } else {
            Path base = folderOrList.toAbsolutePath().getParent();
            for (String line : Files.readAllLines(folderOrList, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(base.resolve(t));
                }
            }
        }
        return out;
    }

    /** The output file for an input: {@code OUT/<name without extension>.tif}. */
    public static String outputName(String inputName) {
        int dot = inputName.lastIndexOf('.');
        return (dot > 0 ? inputName.substring(0, dot) : inputName) + ".tif";
    }

    /**
     * Runs the batch: one partition (task) per image. Returns the records in input order.
     *
     * @param model the model (may be null when the operation needs none)
     */
    public List<ImageRecord> run(JavaSparkContext sc, List<Path> images, ModelSource model) throws IOException {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no input images");
        }
        if (spec.needsModel() && model == null) {
            throw new IllegalArgumentException(spec.describe() + " needs a model");
        }
        Map<String, Path> byOutput = new HashMap<>();
        List<String> paths = new ArrayList<>();
        for (Path p : images) {
            String o = outputName(p.getFileName().toString());
            Path before = byOutput.put(o, p);
            if (before != null) {
                throw new IllegalArgumentException(before + " and " + p + " would both be written to " + o
                        + ": rename one of them");
            }
            paths.add(p.toAbsolutePath().normalize().toString());
        }
        Files.createDirectories(Path.of(outDir));
        Broadcast<ModelSource> b = model == null || !spec.needsModel() ? null : sc.broadcast(model);
        try {
            return sc.parallelize(paths, paths.size()).map(p -> process(p, b == null ? null : b.value())).collect();
        } finally {
            if (b != null) {
                b.destroy();
            }
        }
    }

    /** One task: never throws for a bad image, reports it instead. */
    ImageRecord process(String input, ModelSource model) {
        long t0 = System.nanoTime();
        Path in = Path.of(input);
        String name = in.getFileName().toString();
        String executor = ManagementFactory.getRuntimeMXBean().getName();
        try {
            ImageFiles.LoadedImage img = ImageFiles.read(in);
            ImageFiles.checkFinite(img.image(), name);
            Img<FloatType> ref = null;
            if (referenceDir != null) {
                Path r = Path.of(referenceDir, name);
                if (Files.exists(r)) {
                    ref = ImageFiles.read(r).image();
                }
            }
            NetworkDenoiser d = model == null ? null : ExecutorModels.denoiser(model);
            Reconstruction.Outcome o = spec.run(img.image(), d, d == null ? 0 : d.model().noiseSigma(), ref);
            Path target = Path.of(outDir, outputName(name));
            ImageFiles.writeTiff(o.image(), spec.operation() == JobSpec.Operation.RECONSTRUCT ? null : img.calibration(),
                    target, new ImageFiles.WriteOptions(spec.overwrite(), List.of(in)));
            Double psnr = null;
            if (ref != null) {
                if (!Arrays.equals(Intervals.dimensionsAsLongArray(ref), Intervals.dimensionsAsLongArray(o.image()))) {
                    throw new IllegalArgumentException("reference " + name + " is " + Arrays.toString(Intervals
                            .dimensionsAsLongArray(ref)) + " but the result is " + Arrays.toString(Intervals
                            .dimensionsAsLongArray(o.image())));
                }
                psnr = Metrics.psnr(o.image(), ref, Scaling.minMax(ref).span());
            }
            return new ImageRecord(name, target.toString(), true, null, seconds(t0), psnr, o.iterations(), executor);
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return ImageRecord.failed(name, msg, seconds(t0), executor);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
