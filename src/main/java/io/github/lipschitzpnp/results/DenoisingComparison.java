package io.github.lipschitzpnp.results;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import io.github.lipschitzpnp.baseline.GaussianFilter;
import io.github.lipschitzpnp.baseline.MedianFilter;
import io.github.lipschitzpnp.baseline.TvDenoiser;
import io.github.lipschitzpnp.baseline.UnconstrainedDenoiser;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.nn.DnCnn;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.report.AtomicFiles;
import io.github.lipschitzpnp.report.LinePlot;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.Metrics;
import io.github.lipschitzpnp.train.DenoiserTrainer;
import io.github.lipschitzpnp.train.NoiseModel;
import io.github.lipschitzpnp.train.TrainingImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * The denoising table of docs/models.md: each bundled Gaussian model against a Gaussian filter, a
 * median filter and TV denoising (each tuned on the same images over a grid, which favours them)
 * and an unconstrained DnCNN of about the same number of parameters trained the same way (same
 * images, split, noise, patches, batch, steps, Adam schedule and seed as the model's own
 * {@code training} record), on held-out real images with seeded noise.
 */
public final class DenoisingComparison {

    /** What to run. */
    public record Plan(List<String> models, List<String> images, int crop, int tvIterations,
            double trainingStepFraction, Path samples, Path cache, List<String> dncnnFor) {

        /**
         * The same plan for these models (bundled names or model files); DnCNN baselines only for
         * those of them that had one planned.
         */
        public Plan withModels(List<String> names) {
            List<String> keep = dncnnFor.stream().filter(names::contains).toList();
            return new Plan(List.copyOf(names), images, crop, tvIterations, trainingStepFraction, samples, cache, keep);
        }

        /** The same plan with DnCNN baselines trained only for these models (training is the slow part). */
        public Plan withDnCnnFor(List<String> names) {
            for (String n : names) {
                if (!models.contains(n)) {
                    throw new IllegalArgumentException("no model '" + n + "' in this comparison: choose from " + models);
                }
            }
            return new Plan(models, images, crop, tvIterations, trainingStepFraction, samples, cache, List.copyOf(names));
        }

        /**
         * All Gaussian models, 256x256 crops of the held-out images, full training recipes.
         *
         * @param samples the sample-images folder (train/ and eval/)
         * @param cache where trained DnCNN baselines are kept between runs
         */
        public static Plan full(Path samples, Path cache) {
            List<String> all = List.of("gauss5", "gauss15", "gauss25", "gauss50");
            return new Plan(all, HeldOutImages.DENOISING, 256, 300, 1.0, samples, cache, all);
        }

        /** One model, small crops, 1% of the training steps: a smoke run for tests. */
        public static Plan quick(Path samples, Path cache) {
            return new Plan(List.of("gauss25"), HeldOutImages.DENOISING.subList(0, 2), 48, 40, 0.01,
                    samples, cache, List.of("gauss25"));
        }
    }

    /** One method's best setting at one noise level: mean PSNR / SSIM over the images. */
    public record Row(String method, String setting, double psnr, double ssim, double[] perImagePsnr,
            double lipschitzBound, List<Img<FloatType>> outputs) {
    }

    /** One noise level. */
    public record Level(String model, double sigma, List<Row> rows, List<DenoiserTrainer.HistoryPoint> certifiedHistory,
            List<DenoiserTrainer.HistoryPoint> dncnnHistory, double dncnnSeconds, long dncnnParameters,
            long certifiedParameters) {

        /** The row of a method, or null when it was not run at this level. */
        public Row row(String method) {
            return rows.stream().filter(r -> r.method.equals(method)).findFirst().orElse(null);
        }
    }

    /** The whole comparison. */
    public record Result(Plan plan, List<HeldOutImages.Named> images, List<Level> levels) {

        /** The held-out images' names, in order. */
        public List<String> imageNames() {
            return images.stream().map(HeldOutImages.Named::name).toList();
        }
    }

    public static final String NOISY = "noisy input";
    public static final String GAUSSIAN = "Gaussian filter";
    public static final String MEDIAN = "median filter";
    public static final String TV = "TV (ROF)";
    public static final String DNCNN = "DnCNN (unconstrained)";
    public static final String CERTIFIED = "1-Lipschitz ResNet (ours)";

    private final Plan plan;
    private final Consumer<String> log;

    public DenoisingComparison(Plan plan, Consumer<String> log) {
        this.plan = plan;
        this.log = log;
    }

    public Result run() throws IOException, ModelFileException {
        List<HeldOutImages.Named> images = HeldOutImages.load(plan.samples().resolve("eval"), plan.images(), plan.crop());
        List<Level> levels = new ArrayList<>();
        for (String modelName : plan.models()) {
            levels.add(level(modelName, images));
        }
        return new Result(plan, images, levels);
    }

    private Level level(String modelName, List<HeldOutImages.Named> images) throws IOException, ModelFileException {
        try (DenoiserModel model = BundledModels.load(modelName, Device.cpu())) {
            double sigma = model.noiseSigma();
            log.accept(String.format(Locale.ROOT, "%s: sigma %.4f (%.0f/255)", modelName, sigma, sigma * 255));
            List<Img<FloatType>> clean = new ArrayList<>();
            List<Img<FloatType>> noisy = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                clean.add(images.get(i).image());
                noisy.add(HeldOutImages.noisy(images.get(i).image(), sigma, 1000L * Math.round(sigma * 255) + i));
            }
            List<Row> rows = new ArrayList<>();
            rows.add(evaluate(NOISY, "", x -> x, clean, noisy, Double.NaN));
            rows.add(tuned(GAUSSIAN, "sigma %.2f px", s -> new GaussianFilter(s), 0.5, 1.3, clean, noisy));
            rows.add(bestOf(MEDIAN, clean, noisy));
            rows.add(tuned(TV, "weight %.4f", w -> new TvDenoiser(w, plan.tvIterations()), sigma * 0.5, 1.3, clean,
                    noisy));
            DnCnnRun dncnn = null;
            if (plan.dncnnFor().contains(modelName)) {
                dncnn = dncnn(model);
                try (UnconstrainedDenoiser d = dncnn.denoiser) {
                    rows.add(tuned(DNCNN, String.format(Locale.ROOT, "%d layers x %d channels, %,d parameters, "
                            + "strength x%%.2f", dncnn.layers, dncnn.width, dncnn.parameters),
                            k -> new ScaledDenoiser(d, k), 1.0, 1.15, clean, noisy));
                }
            }
            NetworkDenoiser ours = new NetworkDenoiser(model);
            rows.add(tuned(CERTIFIED, String.format(Locale.ROOT, "%s, %,d parameters, strength x%%.2f", modelName,
                    model.parameterCount()), k -> new ScaledDenoiser(ours, k), 1.0, 1.15, clean, noisy));
            for (Row r : rows) {
                log.accept(String.format(Locale.ROOT, "  %-26s %6.2f dB  SSIM %.4f  %s", r.method, r.psnr, r.ssim,
                        r.setting));
            }
            return new Level(modelName, sigma, rows,
                    DenoiserTrainer.historyOf(model.spec().training().get("history")),
                    dncnn == null ? List.of() : dncnn.history, dncnn == null ? Double.NaN : dncnn.seconds,
                    dncnn == null ? 0 : dncnn.parameters, model.parameterCount());
        }
    }

    @FunctionalInterface
    private interface Method {
        Img<FloatType> apply(Img<FloatType> noisy);
    }

    private static Row evaluate(String name, String setting, Method m, List<Img<FloatType>> clean,
            List<Img<FloatType>> noisy, double bound) {
        double[] p = new double[clean.size()];
        double psnr = 0;
        double ssim = 0;
        List<Img<FloatType>> outputs = new ArrayList<>();
        for (int i = 0; i < clean.size(); i++) {
            Img<FloatType> out = m.apply(noisy.get(i));
            outputs.add(out);
            p[i] = Metrics.psnr(out, clean.get(i), 1.0);
            psnr += p[i];
            ssim += Metrics.ssim(out, clean.get(i), 1.0);
        }
        return new Row(name, setting, psnr / clean.size(), ssim / clean.size(), p, bound, outputs);
    }

    /**
     * The best mean PSNR over a geometric grid of one parameter: starts at {@code start}, steps by
     * {@code factor} while PSNR improves, then searches the other side; the chosen value is
     * therefore an interior optimum of the grid.
     */
    private static Row tuned(String name, String format, DoubleFunction<Denoiser> make, double start, double factor,
            List<Img<FloatType>> clean, List<Img<FloatType>> noisy) {
        Row best = null;
        for (double dir : new double[] {factor, 1 / factor}) {
            double v = dir > 1 ? start : start / factor;
            Row prev = best;
            while (v > 1e-6 && v < 1e3) {
                Denoiser d = make.apply(v);
                Row r = evaluate(name, String.format(Locale.ROOT, format, v), d::denoise, clean, noisy,
                        d.lipschitzBound());
                if (best == null || r.psnr > best.psnr) {
                    best = r;
                }
                if (prev != null && r.psnr < prev.psnr) {
                    break;
                }
                prev = r;
                v *= dir;
            }
        }
        return best;
    }

    private static Row bestOf(String name, List<Img<FloatType>> clean, List<Img<FloatType>> noisy) {
        Row best = null;
        for (int r = 1; r <= 4; r++) {
            MedianFilter m = new MedianFilter(r);
            Row row = evaluate(name, m.describe().replace("median filter ", "").replace("(", "").replace(")", ""),
                    m::denoise, clean, noisy, Double.NaN);
            if (best == null || row.psnr > best.psnr) {
                best = row;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------- DnCNN

    private record DnCnnRun(UnconstrainedDenoiser denoiser, List<DenoiserTrainer.HistoryPoint> history,
            double seconds, int layers, int width, long parameters) {
    }

    /**
     * The DnCNN baseline matched to a bundled model (trained with its recipe, or read from the
     * cache); the caller closes it.
     */
    public UnconstrainedDenoiser baseline(String modelName) throws IOException, ModelFileException {
        try (DenoiserModel m = BundledModels.load(modelName, Device.cpu())) {
            return dncnn(m).denoiser;
        }
    }

    /** The layer count whose DnCNN has the parameter count closest to the certified model's. */
    static int matchingLayers(int width, int kernel, long parameters) {
        int best = 2;
        for (int l = 2; l <= 64; l++) {
            if (Math.abs(DnCnn.parameterCount(width, l, kernel) - parameters)
                    < Math.abs(DnCnn.parameterCount(width, best, kernel) - parameters)) {
                best = l;
            }
        }
        return best;
    }

    private DnCnnRun dncnn(DenoiserModel certified) throws IOException {
        ModelSpec.Architecture a = certified.spec().architecture();
        Map<String, Object> t = certified.spec().training();
        int steps = Math.max(20, (int) Math.round(number(t, "steps", 2000) * plan.trainingStepFraction()));
        int batch = (int) number(t, "batch", 16);
        int patch = (int) number(t, "patch", 40);
        double lr = number(t, "learning_rate", 0.002);
        long seed = (long) number(t, "seed", 1);
        double contrast = number(t, "contrast_min", 1.0);
        double zoom = number(t, "zoom_max", 1.0);
        int layers = matchingLayers(a.width(), a.kernel(), certified.parameterCount());
        long params = DnCnn.parameterCount(a.width(), layers, a.kernel());
        String key = String.format(Locale.ROOT, "dncnn-%s-w%d-l%d-s%d-b%d-p%d-lr%s-seed%d%s", certified.spec().name(),
                a.width(), layers, steps, batch, patch, lr, seed, (contrast < 1 ? "-c" + contrast : "") + (zoom > 1 ? "-z" + zoom : ""));
        Block net = DnCnn.build(a.width(), layers, a.kernel());
        Path cacheDir = plan.cache().resolve(key);
        Path historyFile = cacheDir.resolve("history.json");
        if (Files.exists(historyFile)) {
            Model m = Model.newInstance(key, Device.cpu());
            m.setBlock(net);
            try {
                m.load(cacheDir, key);
            } catch (MalformedModelException | IOException e) {
                m.close();
                throw new IOException("cached baseline " + cacheDir + " is unreadable: delete it: " + e.getMessage(), e);
            }
            CachedHistory h = new Gson().fromJson(Files.readString(historyFile), CachedHistory.class);
            log.accept("  DnCNN: cached " + cacheDir);
            return new DnCnnRun(new UnconstrainedDenoiser(m, net, "DnCNN"), h.points(), h.seconds, layers, a.width(),
                    params);
        }
        TrainingImages.Split split = TrainingImages.split(TrainingImages.fromFolder(plan.samples().resolve("train")));
        DenoiserTrainer.Config config = new DenoiserTrainer.Config(key, a, NoiseModel.gaussian(certified.noiseSigma()),
                patch, batch, steps, lr, seed, Math.max(1, steps / 12), 0, contrast, zoom);
        log.accept(String.format(Locale.ROOT, "  DnCNN: training %d layers x %d channels (%,d parameters), %d steps",
                layers, a.width(), params, steps));
        long[] lastLog = {System.nanoTime()};
        DenoiserTrainer.BaselineResult r = new DenoiserTrainer(config, Device.cpu()).trainBaseline(net,
                split.training(), split.validation(), p -> {
                    if (System.nanoTime() - lastLog[0] > 30e9) {
                        lastLog[0] = System.nanoTime();
                        log.accept(String.format(Locale.ROOT, "    step %d/%d, val PSNR %.2f dB", p.step(), p.steps(),
                                p.validationPsnr()));
                    }
                    return !Thread.currentThread().isInterrupted();
                });
        Files.createDirectories(cacheDir);
        r.model().save(cacheDir, key);
        List<double[]> rows = new ArrayList<>();
        for (DenoiserTrainer.HistoryPoint h : r.history()) {
            rows.add(new double[] {h.step(), h.meanLoss(), h.validationPsnr()});
        }
        AtomicFiles.writeString(historyFile, new Gson().toJson(new CachedHistory(rows, r.seconds())));
        return new DnCnnRun(new UnconstrainedDenoiser(r.model(), net, "DnCNN"), r.history(), r.seconds(), layers,
                a.width(), params);
    }

    private record CachedHistory(List<double[]> rows, double seconds) {
        List<DenoiserTrainer.HistoryPoint> points() {
            List<DenoiserTrainer.HistoryPoint> out = new ArrayList<>();
            for (double[] r : rows) {
                out.add(new DenoiserTrainer.HistoryPoint((int) r[0], r[1], r[2]));
            }
            return out;
        }
    }

    private static double number(Map<String, Object> map, String key, double fallback) {
        Object v = map == null ? null : map.get(key);
        return v instanceof Number n ? n.doubleValue() : fallback;
    }

    // ------------------------------------------------------------------------------ output

    /** The markdown section: one table per noise level, then the summary and the figure. */
    public static String markdown(Result r, String figure) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Held-out images (never used in training): %s, centre crops of %d px, "
                + "scaled to [0, 1]; seeded Gaussian noise; PSNR (data range 1) and SSIM (scikit-image's Gaussian "
                + "SSIM) averaged over the images. The Gaussian, median and TV settings are the best on these same "
                + "images (tuned over a grid, which favours them); TV is the ROF model solved by PDHG with %d "
                + "iterations. Both networks get the same kind of tuning through their strength k, D(k x) / k "
                + "(k < 1 denoises as for a higher noise level; for the certified model the bound is unchanged). "
                + "DnCNN is a plain residual CNN (3x3 conv + ReLU, no batch norm) with about the "
                + "certified model's parameter count, trained with the model's own recipe (same images, split, "
                + "noise, patches, batch, steps, Adam schedule, seed).%n%n",
                String.join(", ", r.imageNames()), r.plan().crop(), r.plan().tvIterations()));
        s.append("| sigma | noisy | Gaussian | median | TV | DnCNN (unconstrained) | 1-Lipschitz (ours) | ours - TV | ours - DnCNN |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Level l : r.levels()) {
            double ours = l.row(CERTIFIED).psnr;
            Row dn = l.row(DNCNN);
            s.append(String.format(Locale.ROOT, "| %.0f/255 | %s | %s | %s | %s | %s | **%s** | %+.2f dB | %s |%n",
                    l.sigma * 255, cell(l.row(NOISY)), cell(l.row(GAUSSIAN)), cell(l.row(MEDIAN)), cell(l.row(TV)),
                    cell(dn), cell(l.row(CERTIFIED)), ours - l.row(TV).psnr,
                    dn == null ? "-" : String.format(Locale.ROOT, "%+.2f dB", ours - dn.psnr)));
        }
        s.append("\nEach cell: PSNR dB / SSIM. Settings chosen and per-image PSNR:\n\n");
        s.append("| sigma | method | setting | ").append(String.join(" | ", r.imageNames())).append(" |\n");
        s.append("|---|---|---|").append("---|".repeat(r.imageNames().size())).append("\n");
        for (Level l : r.levels()) {
            for (Row row : l.rows()) {
                StringBuilder per = new StringBuilder();
                for (double p : row.perImagePsnr) {
                    per.append(String.format(Locale.ROOT, " %.2f |", p));
                }
                s.append(String.format(Locale.ROOT, "| %.0f/255 | %s | %s |%s%n", l.sigma * 255, row.method,
                        row.setting.isEmpty() ? "-" : row.setting, per));
            }
        }
        s.append("\nDnCNN training time on this machine (same steps as the certified model): ");
        List<String> times = new ArrayList<>();
        for (Level l : r.levels()) {
            if (l.row(DNCNN) != null) {
                times.add(String.format(Locale.ROOT, "%s %.0f s", l.model, l.dncnnSeconds));
            }
        }
        s.append(String.join(", ", times)).append(".\n");
        if (figure != null) {
            s.append("\n![Validation PSNR during training](").append(figure).append(")\n");
        }
        return s.toString();
    }

    private static String cell(Row r) {
        if (r == null) {
            return "not trained";
        }
        return String.format(Locale.ROOT, "%.2f / %.3f", r.psnr, r.ssim);
    }

    /** Validation PSNR against training step for each level: certified (solid) and DnCNN. */
    /**
     * One panel per noise level of the held-out image {@code image} (an index into the plan's
     * images): clean, noisy, TV, DnCNN (where trained) and ours at their chosen settings, each with
     * its PSNR; written as {@code dir/denoising_sigmaNN_NAME.png}. Returns the file names, in order.
     */
    public static List<String> writePanels(Result r, int image, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        String imageName = r.imageNames().get(image);
        Img<FloatType> clean = r.images().get(image).image();
        Files.createDirectories(dir);
        for (Level l : r.levels()) {
            Row noisy = l.row(NOISY);
            io.github.lipschitzpnp.report.ImagePanel panel = new io.github.lipschitzpnp.report.ImagePanel(0, 1)
                    .add(clean, "clean\n" + imageName);
            for (String method : new String[] {NOISY, TV, DNCNN, CERTIFIED}) {
                Row row = l.row(method);
                if (row == null || row.outputs() == null) {
                    continue;
                }
                String label = method.equals(CERTIFIED) ? "1-Lipschitz (ours)" : method;
                panel.add(row.outputs().get(image), String.format(Locale.ROOT, "%s\n%.2f dB", label,
                        row.perImagePsnr()[image]));
            }
            if (noisy == null) {
                continue;
            }
            String file = String.format(Locale.ROOT, "denoising_sigma%.0f_%s.png", l.sigma() * 255, imageName);
            panel.writePng(dir.resolve(file), 220);
            names.add(file);
        }
        return names;
    }

    public static void writeCurves(Result r, Path png) throws IOException {
        LinePlot plot = new LinePlot("Validation PSNR during training", "Adam step", "validation PSNR (dB)")
                .legend();
        for (Level l : r.levels()) {
            String tag = String.format(Locale.ROOT, "sigma %.0f/255", l.sigma * 255);
            if (!l.certifiedHistory.isEmpty()) {
                plot.add("1-Lipschitz, " + tag, steps(l.certifiedHistory), psnrs(l.certifiedHistory), true);
            }
            if (!l.dncnnHistory.isEmpty()) {
                plot.add("DnCNN, " + tag, steps(l.dncnnHistory), psnrs(l.dncnnHistory), true);
            }
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        plot.writePng(png, 900, 560);
    }

    private static double[] steps(List<DenoiserTrainer.HistoryPoint> h) {
        return h.stream().mapToDouble(DenoiserTrainer.HistoryPoint::step).toArray();
    }

    private static double[] psnrs(List<DenoiserTrainer.HistoryPoint> h) {
        return h.stream().mapToDouble(DenoiserTrainer.HistoryPoint::validationPsnr).toArray();
    }

}
