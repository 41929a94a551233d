package io.github.lipschitzpnp.spark;

import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.PlaneParts;
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
     * Runs the batch: one partition (task) per image, and for CT one per slice of a sinogram
     * stack (a TIFF of detectors x angles x slices): each slice task reads only its own plane and
     * writes its reconstruction to a hidden {@code OUT/.<name>.parts} folder; once every slice of a
     * stack is done the driver assembles {@code OUT/<name>.tif} from them, one plane at a time, and
     * removes the folder. A stack with a failed slice is reported as failed (with the slices and
     * the first message) and writes no output. Returns one record per input, in input order.
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
        for (Path p : images) {
            String o = outputName(p.getFileName().toString());
            Path before = byOutput.put(o, p);
            if (before != null) {
                throw new IllegalArgumentException(before + " and " + p + " would both be written to " + o
                        + ": rename one of them");
            }
        }
        Files.createDirectories(Path.of(outDir));
        List<Task> tasks = new ArrayList<>();
        Map<Integer, ImageRecord> refused = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            String path = images.get(i).toAbsolutePath().normalize().toString();
            int planes = spec.operation() == JobSpec.Operation.RECONSTRUCT ? planes(Path.of(path)) : 1;
            if (planes == 1) {
                tasks.add(new Task(i, path, -1, 1));
                continue;
            }
            Path target = Path.of(outDir, outputName(Path.of(path).getFileName().toString()));
            try { // every slice would fail the same way: say it once, before any task runs
                Reconstruction.checkAngles(ImageFiles.readPlane(Path.of(path), 0).image().dimension(1), spec.anglesDeg());
            } catch (RuntimeException e) {
                refused.put(i, ImageRecord.failed(Path.of(path).getFileName().toString(), e.getMessage()
                        + " (each slice of this stack of " + planes + ")", 0, "driver"));
                continue;
            }
            if (Files.exists(target) && !spec.overwrite()) {
                refused.put(i, ImageRecord.failed(Path.of(path).getFileName().toString(), "Output file " + target
                        + " already exists; not overwriting it. Pass --force to replace it.", 0, "driver"));
                continue;
            }
            PlaneParts.of(target).reset(); // removes what a killed run left: its slices may come from other options
            for (int z = 0; z < planes; z++) {
                tasks.add(new Task(i, path, z, planes));
            }
        }
        Broadcast<ModelSource> b = model == null || !spec.needsModel() ? null : sc.broadcast(model);
        List<PlaneResult> results;
        try {
            results = tasks.isEmpty() ? List.of() : sc.parallelize(tasks, tasks.size()).map(t -> t.plane() < 0
                    ? PlaneResult.of(t, process(t.path(), b == null ? null : b.value()))
                    : processPlane(t, b == null ? null : b.value())).collect();
        } finally {
            if (b != null) {
                b.destroy();
            }
        }
        Map<Integer, List<PlaneResult>> byInput = new HashMap<>();
        for (PlaneResult r : results) {
            byInput.computeIfAbsent(r.task().input(), k -> new ArrayList<>()).add(r);
        }
        List<ImageRecord> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (refused.containsKey(i)) {
                out.add(refused.get(i));
                continue;
            }
            List<PlaneResult> mine = byInput.get(i);
            out.add(mine.size() == 1 && mine.get(0).task().plane() < 0 ? mine.get(0).record() : assemble(mine));
        }
        return out;
    }

    /** The planes of a sinogram file (1 for 2D images and for files it cannot read: the task reports those). */
    private static int planes(Path file) {
        try {
            return ImageFiles.planes(file);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /**
     * The record of a sinogram stack from its slices: assembles the output when every slice
     * succeeded; PSNR over the whole stack (the reference's whole range, the mean squared error
     * over all slices); seconds summed over the slice tasks; iterations the most any slice ran.
     */
    private ImageRecord assemble(List<PlaneResult> slices) {
        slices.sort(java.util.Comparator.comparingInt(r -> r.task().plane()));
        Task first = slices.get(0).task();
        String name = Path.of(first.path()).getFileName().toString();
        Path target = Path.of(outDir, outputName(name));
        PlaneParts parts = PlaneParts.of(target);
        double seconds = 0;
        int iterations = 0;
        List<Integer> failed = new ArrayList<>();
        String firstError = null;
        for (PlaneResult r : slices) {
            seconds += r.record().seconds();
            iterations = Math.max(iterations, r.record().iterations());
            if (!r.record().ok()) {
                failed.add(r.task().plane());
                firstError = firstError == null ? r.record().error() : firstError;
            }
        }
        String executor = "driver (" + slices.size() + " slice tasks)";
        try {
            if (!failed.isEmpty()) {
                return new ImageRecord(name, null, false, failed.size() + " of " + slices.size() + " slices failed "
                        + "(0-based " + (failed.size() > 10 ? failed.subList(0, 10) + " ..." : failed) + "), so "
                        + target.getFileName() + " was not written; slice " + failed.get(0) + ": " + firstError,
                        seconds, null, iterations, executor, slices.size());
            }
            PlaneResult one = slices.get(0);
            parts.assemble(slices.size(), one.width(), one.width(), new ImageCalibration(one.pixelWidth(),
                    one.pixelWidth(), one.pixelDepth(), one.unit()), new ImageFiles.WriteOptions(spec.overwrite(),
                    List.of(Path.of(first.path()))));
            Double psnr = null;
            if (one.error() != null) {
                Metrics.SquaredError error = Metrics.SquaredError.NONE;
                for (PlaneResult r : slices) {
                    error = error.plus(r.error());
                }
                psnr = error.psnr();
            }
            return new ImageRecord(name, target.toString(), true, null, seconds, psnr, iterations, executor, slices.size());
        } catch (RuntimeException e) {
            return new ImageRecord(name, null, false, e.getMessage() == null ? e.toString() : e.getMessage(), seconds,
                    null, iterations, executor, slices.size());
        } finally {
            parts.deleteQuietly();
        }
    }

    /** One slice task of a sinogram stack: never throws, reports instead. */
    PlaneResult processPlane(Task t, ModelSource model) {
        long t0 = System.nanoTime();
        Path in = Path.of(t.path());
        String name = in.getFileName().toString();
        String executor = ManagementFactory.getRuntimeMXBean().getName();
        try {
            ImageFiles.LoadedImage sino = ImageFiles.readPlane(in, t.plane());
            ImageFiles.checkFinite(sino.image(), name + " slice " + t.plane());
            Img<FloatType> ref = null;
            if (referenceDir != null) {
                Path r = Path.of(referenceDir, name);
                if (Files.exists(r)) {
                    int planes = ImageFiles.planes(r);
                    if (planes != t.planes()) {
                        throw new IllegalArgumentException("reference " + r + " has " + planes + " slices but the "
                                + "sinogram stack has " + t.planes());
                    }
                    ref = ImageFiles.readPlane(r, t.plane()).image();
                }
            }
            NetworkDenoiser d = model == null ? null : ExecutorModels.denoiser(model);
            Reconstruction.Outcome o = spec.run(sino.image(), d, d == null ? 0 : d.model().noiseSigma(), ref);
            Path target = PlaneParts.of(Path.of(outDir, outputName(name))).write(t.plane(), o.image());
            Metrics.SquaredError error = null;
            if (ref != null) {
                if (!Arrays.equals(Intervals.dimensionsAsLongArray(ref), Intervals.dimensionsAsLongArray(o.image()))) {
                    throw new IllegalArgumentException("reference " + name + " slice " + t.plane() + " is "
                            + Arrays.toString(Intervals.dimensionsAsLongArray(ref)) + " but the result is "
                            + Arrays.toString(Intervals.dimensionsAsLongArray(o.image())));
                }
                error = Metrics.SquaredError.of(o.image(), ref);
            }
            ImageCalibration c = sino.calibration();
            return new PlaneResult(t, new ImageRecord(name, target.toString(), true, null, seconds(t0), null,
                    o.iterations(), executor), error, (int) o.image().dimension(0), c.pixelWidth(),
                    c.pixelDepth(), c.unit());
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return PlaneResult.of(t, ImageRecord.failed(name, msg, seconds(t0), executor));
        }
    }

    /** One task: an input (by its index), and the slice it reconstructs (-1: the whole file). */
    record Task(int input, String path, int plane, int planes) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What a task returns: its record and, for a slice, what the driver needs to assemble the stack
     * and its PSNR (the slice's squared error against its reference, the output's side, the
     * input's calibration).
     */
    record PlaneResult(Task task, ImageRecord record, Metrics.SquaredError error, int width, double pixelWidth,
            double pixelDepth, String unit) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** A result with only a record: a whole image, or a failed slice. */
        static PlaneResult of(Task task, ImageRecord record) {
            return new PlaneResult(task, record, null, 0, 1, 1, null);
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
