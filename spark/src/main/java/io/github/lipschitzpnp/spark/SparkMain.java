package io.github.lipschitzpnp.spark;

import io.github.lipschitzpnp.cli.CommonOptions;
import io.github.lipschitzpnp.cli.UserInputException;
import io.github.lipschitzpnp.image.ImageFileException;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.NoiseLevel;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lpnp spark batch|blocks}: the Spark entry point (spark-submit's main class, and
 * {@code ./lpnp spark ...} / {@code spark/lpnp-spark} locally). The operation options follow
 * {@code lpnp denoise / deconvolve / reconstruct}.
 */
@Command(name = "lpnp spark", mixinStandardHelpOptions = true,
        description = "Lipschitz PnP on Apache Spark: many images (batch) or one large image in blocks.",
        subcommands = {SparkMain.Batch.class, SparkMain.Blocks.class, SparkMain.Bench.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The operation and its options, shared by both modes. */
    static final class OperationOptions {
        @Option(names = "--op", defaultValue = "denoise",
                description = "denoise, deconvolve or reconstruct (CT from sinograms). Default: ${DEFAULT-VALUE}.")
        String op;

        @Option(names = "--model",
                description = "Bundled model name or .lpnp.zip file (read on the driver, broadcast). Default, as the "
                        + "local commands: gauss15 for denoise; for deconvolve and reconstruct the bundled model "
                        + "closest to the noise estimated on the first input (for CT on the FBP of its middle slice).")
        String model;

        @Option(names = "--sigma", defaultValue = "0",
                description = "denoise: noise sigma in the images' units; 0 = the model's level.")
        double sigma;

        @Option(names = "--method",
                description = "deconvolve/reconstruct: a method key (pnp-pgd, pnp-admm, pnp-drs, pnp-hqs, red, tv, "
                        + "tikhonov, richardson-lucy, sirt, cgls; reconstruct also fbp). Default, as the local "
                        + "commands: pnp-admm for both (with --rho by model for reconstruct).")
        String method;

        @Option(names = "--rho", description = "pnp-admm/pnp-drs/pnp-hqs penalty as a multiple of ||A||^2. Default, as "
                + "the local commands: 1 for deconvolve; for reconstruct by model, 0.3 x (5/255) / its sigma.")
        Double rho;

        @Option(names = "--iterations", defaultValue = "50", description = "Iteration budget. Default: ${DEFAULT-VALUE}.")
        int iterations;

        @Option(names = "--tolerance", defaultValue = "1e-5", description = "Relative residual stop. Default: ${DEFAULT-VALUE}.")
        double tolerance;

        @Option(names = "--lambda", defaultValue = "0.01", description = "TV/Tikhonov/RED weight. Default: ${DEFAULT-VALUE}.")
        double lambda;

        @Option(names = "--psf", description = "deconvolve: PSF image (TIFF/PNG), same number of dimensions as the images.")
        Path psf;

        @Option(names = "--boundary", defaultValue = "reflective",
                description = "deconvolve: reflective, periodic or zero. Default: ${DEFAULT-VALUE}.")
        String boundary;

        @Option(names = "--angles", paramLabel = "SPEC",
                description = "reconstruct: angles in degrees as in lpnp reconstruct: start:end:count, a comma list, "
                        + "a count (evenly over [0, 180)) or a text file.")
        String angles;

        @Option(names = "--size", defaultValue = "0", description = "reconstruct: image side (0 = detectors).")
        int size;

        @Option(names = "--force", description = "Overwrite existing outputs.")
        boolean force;

        @Option(names = "--master", description = "Spark master when not set by spark-submit, e.g. local[2], "
                + "spark://host:7077, yarn. Default: spark-submit's, else local[*].")
        String master;

        JobSpec jobSpec() throws Exception {
            JobSpec.Operation o = JobSpec.Operation.parse(op);
            if (o == JobSpec.Operation.DENOISE) {
                return JobSpec.denoise(sigma).withOverwrite(force);
            }
            boolean ct = o == JobSpec.Operation.RECONSTRUCT;
            String key = method != null ? method : ct ? Reconstruction.Settings.CT_METHOD.key() : "pnp-admm";
            if (o == JobSpec.Operation.RECONSTRUCT && "fbp".equalsIgnoreCase(key.trim())) {
                return JobSpec.reconstruct(angles(), size, null).withOverwrite(force);
            }
            Method m = Method.parse(key);
            double penalty = m.hasPenalty() && rho != null ? rho : 1;
            Reconstruction.Settings s = new Reconstruction.Settings(m, iterations, tolerance, lambda, penalty);
            if (ct && m.hasPenalty() && rho == null) {
                return JobSpec.reconstruct(angles(), size, s).withPenaltyByModel().withOverwrite(force);
            }
            if (o == JobSpec.Operation.DECONVOLVE) {
                if (psf == null) {
                    throw new UserInputException("--op deconvolve needs --psf FILE");
                }
                Img<FloatType> p = ImageFiles.read(psf).image();
                return JobSpec.deconvolve(p, Boundary.valueOf(boundary.trim().toUpperCase(Locale.ROOT)), s)
                        .withOverwrite(force);
            }
            return JobSpec.reconstruct(angles(), size, s).withOverwrite(force);
        }

        private double[] angles() throws java.io.IOException {
            if (angles == null) {
                throw new UserInputException("--op reconstruct needs --angles SPEC (e.g. 0:180:60, or a count, or a file)");
            }
            return Angles.parse(angles, 0);
        }

        /**
         * The model for the job (null when it needs none), on the --device choice of the executors:
         * --model, else as the local commands pick it for the first of {@code samples} (the inputs)
         * that can be read (a broken file is reported by its own task, not here).
         */
        ModelSource modelSource(JobSpec spec, String device, List<Path> samples, CommonOptions common)
                throws ModelFileException {
            if (!spec.needsModel()) {
                return null;
            }
            String name = model;
            if (name == null && spec.operation() == JobSpec.Operation.DENOISE) {
                name = BundledModels.DEFAULT_DENOISER;
            }
            for (int i = 0; name == null && i < samples.size(); i++) {
                Path sample = samples.get(i);
                Img<FloatType> data;
                try {
                    if (spec.operation() == JobSpec.Operation.RECONSTRUCT) {
                        data = Reconstruction.noiseProbe(z -> ImageFiles.readPlane(sample, z).image(),
                                ImageFiles.planes(sample), spec.anglesDeg(), spec.size());
                    } else {
                        data = ImageFiles.read(sample).image();
                    }
                } catch (RuntimeException e) {
                    continue;
                }
                double sigma = NoiseLevel.estimateNormalized(data, null);
                name = BundledModels.closestTo(sigma);
                common.say(String.format(Locale.ROOT, "model %s (bundled, closest to the noise sigma %.4f estimated on "
                        + "%s; give --model to choose)", name, sigma, sample.getFileName()));
            }
            if (name == null) {
                throw new UserInputException("none of the inputs could be read to estimate their noise level for the "
                        + "default model; check the inputs, or give --model");
            }
            return ModelSource.of(name).onDevice(device);
        }
    }

    @Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"One Spark task per image: IN is a folder of images (TIFF/PNG) or a text file listing them.",
                "Each result is written atomically to OUT/<name>.tif; a failed image is reported, the rest go on.",
                "With --op reconstruct a sinogram stack (detectors x angles x slices) is one task per slice,",
                "each reading only its plane; the slices are assembled into OUT/<name>.tif when all succeed.",
                "Paths must be visible at the same place on every executor (shared file system)."})
    static final class Batch implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        OperationOptions options = new OperationOptions();
        @Parameters(index = "0", paramLabel = "IN", description = "Folder of images, or a list file.")
        Path in;
        @Option(names = "--out", required = true, description = "Output folder (created if missing).")
        Path out;
        @Option(names = "--reference", paramLabel = "DIR", description = "Clean images of the same names: PSNR per image.")
        Path reference;

        @Override
        public Integer call() throws Exception {
            JobSpec spec = options.jobSpec();
            List<Path> inputs = BatchJob.inputs(in);
            if (inputs.isEmpty()) {
                throw new UserInputException(in + " holds no images (.tif, .tiff, .png, ...)");
            }
            ModelSource model = options.modelSource(spec, common.device, inputs, common);
            long t0 = System.nanoTime();
            List<ImageRecord> records;
            try (SparkContexts.Session session = SparkContexts.open("lpnp batch " + spec.operation().key(), options.master)) {
                JavaSparkContext sc = session.sc();
                common.say(String.format(Locale.ROOT, "%s of %d images on %s (%d cores)", spec.describe(),
                        inputs.size(), sc.master(), sc.defaultParallelism()));
                records = new BatchJob(spec, out, reference).run(sc, inputs, model);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int failed = 0;
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ImageRecord r : records) {
                rows.add(r.toMap());
                if (!r.ok()) {
                    failed++;
                }
                common.say(r.ok() ? String.format(Locale.ROOT, "  ok     %s -> %s (%s%.2f s%s)", r.name(), r.output(),
                        r.slices() > 1 ? r.slices() + " slices, " : "", r.seconds(),
                        r.psnr() == null ? "" : String.format(Locale.ROOT, ", PSNR %.2f dB", r.psnr()))
                        : "  FAILED " + r.name() + ": " + r.error());
            }
            common.say(String.format(Locale.ROOT, "%d of %d images done in %.1f s (%.1f images per minute)%s",
                    records.size() - failed, records.size(), seconds, 60 * records.size() / seconds,
                    failed > 0 ? "; " + failed + " failed" : ""));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("operation", spec.describe());
            json.put("model", model == null ? null : model.origin());
            json.put("images", records.size());
            json.put("failed", failed);
            json.put("seconds", seconds);
            json.put("records", rows);
            common.finish(json, System.out);
            return failed == 0 ? 0 : 3;
        }
    }

    @Command(name = "blocks", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"One large 2D image or 3D volume, processed in overlapping blocks on the cluster.",
                "denoise: the margin defaults to the network's receptive radius, and the result equals the local run",
                "up to float rounding. deconvolve: give --margin (several PSF widths); blocks are solved apart."})
    static final class Blocks implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        OperationOptions options = new OperationOptions();
        @Parameters(index = "0", paramLabel = "IN", description = "The image or volume (TIFF/PNG).")
        Path in;
        @Parameters(index = "1", paramLabel = "OUT", description = "Output 32-bit TIFF.")
        Path out;
        @Option(names = "--block", defaultValue = "256", description = "Block core side in pixels. Default: ${DEFAULT-VALUE}.")
        long block;
        @Option(names = "--margin", defaultValue = "-1",
                description = "Margin around each block; default: the network's receptive radius (denoise).")
        long margin;

        @Override
        public Integer call() throws Exception {
            JobSpec spec = options.jobSpec();
            ModelSource model = options.modelSource(spec, common.device, List.of(in), common);
            long m = margin;
            if (m < 0) {
                if (spec.operation() != JobSpec.Operation.DENOISE) {
                    throw new UserInputException("--op " + spec.operation().key() + " in blocks needs an explicit "
                            + "--margin (several PSF widths)");
                }
                m = BlockJob.receptiveRadius(model.archive().spec().architecture());
            }
            long core = block;
            if (spec.operation() == JobSpec.Operation.DENOISE) {
                // a network on r x r pixel cells is only shift-equivariant by multiples of r:
                // blocks must start on the cell grid
                long r = model.archive().spec().architecture().cell();
                core = (core + r - 1) / r * r;
                m = (m + r - 1) / r * r;
            }
            ImageFiles.LoadedImage img = ImageFiles.read(in);
            ImageFiles.checkFinite(img.image(), in.toString());
            BlockJob job = new BlockJob(spec, new long[] {core}, new long[] {m});
            long t0 = System.nanoTime();
            Img<FloatType> result;
            try (SparkContexts.Session session = SparkContexts.open("lpnp blocks " + spec.operation().key(), options.master)) {
                JavaSparkContext sc = session.sc();
                common.say(String.format(Locale.ROOT, "%s: %d blocks on %s", job,
                        job.blockCount(net.imglib2.util.Intervals.dimensionsAsLongArray(img.image())), sc.master()));
                result = job.run(sc, img.image(), model);
            }
            ImageFiles.writeTiff(result, img.calibration(), out, new ImageFiles.WriteOptions(spec.overwrite(), List.of(in)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            common.say(String.format(Locale.ROOT, "wrote %s in %.1f s", out, seconds));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("operation", spec.describe());
            json.put("output", out.toString());
            json.put("block", core);
            json.put("margin", m);
            json.put("seconds", seconds);
            common.finish(json, System.out);
            return 0;
        }
    }


    @Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Batch throughput in images per minute for each master (one after the other in this JVM).",
                "The images are the 2D samples of sample-images/eval, repeated to --images; each master gets a",
                "warm-up batch first (context start, model load and certification, JIT), then --repeats timed batches."})
    static final class Bench implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();
        @Mixin
        OperationOptions options = new OperationOptions();
        @Option(names = "--samples", defaultValue = "sample-images/eval", description = "Folder of sample images.")
        Path samples;
        @Option(names = "--images", defaultValue = "24", description = "Images per batch. Default: ${DEFAULT-VALUE}.")
        int images;
        @Option(names = "--repeats", defaultValue = "2", description = "Timed batches per master. Default: ${DEFAULT-VALUE}.")
        int repeats;
        @Option(names = "--masters", defaultValue = "local[1],local[2]", split = ",",
                description = "Masters to compare. Default: ${DEFAULT-VALUE}.")
        List<String> masters;

        @Override
        public Integer call() throws Exception {
            JobSpec spec = options.jobSpec().withOverwrite(true);
            Path dir = java.nio.file.Files.createTempDirectory("lpnp-spark-bench");
            List<Path> pool = new ArrayList<>();
            for (Path p : BatchJob.inputs(samples)) {
                try {
                    if (ImageFiles.read(p).image().numDimensions() == 2) {
                        pool.add(p);
                    }
                } catch (RuntimeException e) {
                    // not an image we can read: skip
                }
            }
            if (pool.isEmpty()) {
                throw new UserInputException(samples + " holds no 2D images");
            }
            ModelSource model = options.modelSource(spec, common.device, pool, common);
            List<Path> inputs = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                Path p = pool.get(i % pool.size());
                String n = p.getFileName().toString();
                inputs.add(java.nio.file.Files.copy(p, dir.resolve(String.format(Locale.ROOT, "%03d-%s", i, n))));
            }
            Path out = dir.resolve("out");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("operation", spec.describe());
            json.put("images", images);
            json.put("pool", pool.stream().map(p -> p.getFileName().toString()).toList());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String master : masters) {
                try (JavaSparkContext sc = SparkContexts.start("lpnp bench", master)) {
                    BatchJob job = new BatchJob(spec, out, null);
                    long w0 = System.nanoTime();
                    job.run(sc, inputs.subList(0, Math.min(inputs.size(), sc.defaultParallelism())), model);
                    double warm = (System.nanoTime() - w0) / 1e9;
                    double[] perMinute = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        List<ImageRecord> recs = job.run(sc, inputs, model);
                        double sec = (System.nanoTime() - t0) / 1e9;
                        if (recs.stream().anyMatch(x -> !x.ok())) {
                            throw new IllegalStateException("an image failed: " + recs);
                        }
                        perMinute[r] = 60 * inputs.size() / sec;
                    }
                    java.util.Arrays.sort(perMinute);
                    double median = perMinute[repeats / 2];
                    common.say(String.format(Locale.ROOT, "%-10s warm-up %.1f s; %.1f images/min (median of %d: %s)",
                            master, warm, median, repeats, java.util.Arrays.toString(perMinute)));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("master", master);
                    row.put("warmup_seconds", warm);
                    row.put("images_per_minute", median);
                    row.put("all", perMinute);
                    rows.add(row);
                }
            }
            json.put("results", rows);
            common.finish(json, System.out);
            return 0;
        }
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserInputException || ex instanceof ImageFileException || ex instanceof ModelFileException
                    || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            commandLine.getErr().println("internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }
}
