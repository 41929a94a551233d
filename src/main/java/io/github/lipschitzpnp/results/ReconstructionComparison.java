package io.github.lipschitzpnp.results;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.physics.LinearOperator;
import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.report.LinePlot;
import io.github.lipschitzpnp.solve.Cgls;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.IterativeSolver;
import io.github.lipschitzpnp.solve.Metrics;
import io.github.lipschitzpnp.solve.PnpAdmm;
import io.github.lipschitzpnp.solve.PnpPgd;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.RichardsonLucy;
import io.github.lipschitzpnp.solve.Sirt;
import io.github.lipschitzpnp.solve.SolverResult;
import io.github.lipschitzpnp.solve.Tikhonov;
import io.github.lipschitzpnp.solve.TvPdhg;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The reconstruction table of docs/results.md: deconvolution (Gaussian PSF sigma 2 px, Gaussian
 * noise at 1% of the range) and sparse-view CT (60 angles over 180 degrees, 1% noise) of held-out
 * real images, classical baselines tuned over grids on the same images (which favours them;
 * iterative baselines also get their best iteration), PnP with the bundled certified denoisers
 * (model and strength tuned the same way), and the same PnP loop with an unconstrained denoiser.
 */
public final class ReconstructionComparison {

    /** What to run. */
    public record Plan(List<String> deconvolutionImages, List<String> ctImages, int crop, int iterations,
            List<String> models, double[] strengths, Path samples) {

        public static Plan full(Path samples) {
            return new Plan(List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif"),
                    List.of("ct_small_mu_256.tif", "mri_s1045_256.tif"), 256, 100, List.of("gauss5", "gauss15"),
                    new double[] {0.5, 1, 2, 4}, samples);
        }

        public static Plan quick(Path samples) {
            return new Plan(List.of("camera_512.png"), List.of("ct_small_mu_256.tif"), 48, 8, List.of("gauss5"),
                    new double[] {1, 2}, samples);
        }
    }

    /** A method's best setting on one task: mean PSNR / SSIM, and the residual history on the first image. */
    public record Row(String method, String setting, double psnr, double ssim, double[] residuals,
            int residualIncreases, String note) {
    }

    /** One task's rows. */
    public record Task(String name, String description, List<String> images, List<Row> rows) {
    }

    public record Result(Plan plan, List<Task> tasks) {
    }

    private final Plan plan;
    private final Consumer<String> log;
    private final Denoiser unconstrained;
    private final double unconstrainedSigma;

    /**
     * @param unconstrained an unconstrained denoiser for the same PnP loop (may be null), trained
     *     for noise level {@code unconstrainedSigma}
     */
    public ReconstructionComparison(Plan plan, Consumer<String> log, Denoiser unconstrained, double unconstrainedSigma) {
        this.plan = plan;
        this.log = log;
        this.unconstrained = unconstrained;
        this.unconstrainedSigma = unconstrainedSigma;
    }

    /** One image's problem. */
    private record Case(Problem problem, Img<FloatType> start) {
    }

    public Result run() throws ModelFileException {
        List<DenoiserModel> models = new ArrayList<>();
        try {
            for (String m : plan.models()) {
                models.add(BundledModels.load(m, Device.cpu()));
            }
            return run(models);
        } finally {
            for (DenoiserModel m : models) {
                m.close();
            }
        }
    }

    private Result run(List<DenoiserModel> models) {
        List<Task> tasks = new ArrayList<>();
        List<HeldOutImages.Named> dImgs = HeldOutImages.load(plan.samples().resolve("eval"), plan.deconvolutionImages(),
                plan.crop());
        List<Case> deconv = new ArrayList<>();
        long seed = 11;
        for (HeldOutImages.Named n : dImgs) {
            long[] dims = {n.image().dimension(0), n.image().dimension(1)};
            LinearOperator a = new ConvolutionOperator(Psf.gaussian2D(2.0, Psf.gaussianSize(2.0)), dims,
                    Boundary.REFLECTIVE);
            Img<FloatType> y = HeldOutImages.noisy(a.apply(n.image()), 0.01, seed++);
            deconv.add(new Case(Problem.of(a, y).withReference(n.image()).withDataRange(1.0), y));
        }
        tasks.add(task("deconvolution", "Gaussian PSF sigma 2 px (reflective boundary), Gaussian noise sigma 0.01 "
                + "(1% of the [0, 1] range)", dImgs, deconv, false, models));

        List<HeldOutImages.Named> cImgs = HeldOutImages.load(plan.samples().resolve("eval"), plan.ctImages(),
                plan.crop());
        List<Case> ct = new ArrayList<>();
        for (HeldOutImages.Named n : cImgs) {
            int size = (int) n.image().dimension(0);
            if (n.image().dimension(1) != size) {
                throw new IllegalArgumentException(n.name() + " is not square");
            }
            ParallelBeamRadon radon = new ParallelBeamRadon(size, ParallelBeamRadon.uniformAngles(60),
                    ParallelBeamRadon.fullDetectorCount(size));
            Img<FloatType> clean = radon.apply(n.image());
            double max = 0;
            for (float v : FloatImages.data(clean)) {
                max = Math.max(max, v);
            }
            Img<FloatType> y = HeldOutImages.noisy(clean, 0.01 * max, seed++);
            Img<FloatType> fbp = new Fbp(radon, Fbp.Window.HANN).reconstruct(y);
            ct.add(new Case(Problem.of(radon, y).withReference(n.image()).withDataRange(1.0).withInitial(fbp), fbp));
        }
        tasks.add(task("sparse-view CT", "60 parallel-beam angles over 180 degrees, full detector, Gaussian noise "
                + "sigma 1% of the sinogram's maximum; iterative methods start from FBP (Hann)", cImgs, ct, true, models));
        return new Result(plan, tasks);
    }

    private Task task(String name, String description, List<HeldOutImages.Named> images, List<Case> cases, boolean ct,
            List<DenoiserModel> models) {
        log.accept(name + ": " + description);
        List<Row> rows = new ArrayList<>();
        int n = plan.iterations();
        if (ct) {
            Row fbp = null;
            for (Fbp.Window w : Fbp.Window.values()) {
                Row r = direct("FBP", w.toString(), cases, c -> new Fbp((ParallelBeamRadon) c.problem().operator(), w)
                        .reconstruct(c.problem().data()));
                fbp = fbp == null || r.psnr > fbp.psnr ? r : fbp;
            }
            rows.add(fbp);
            rows.add(bestIterate("SIRT (x >= 0)", "", cases, () -> new Sirt().nonNegative(true).maxIterations(4 * n)));
            rows.add(bestIterate("CGLS", "", cases, () -> new Cgls().maxIterations(n)));
            rows.add(grid("TV (PDHG)", "lambda %.4g", new double[] {0.5, 1, 2, 4, 8, 16}, cases,
                    l -> new TvPdhg().regularization(l).nonNegative(true).maxIterations(5 * n)));
        } else {
            rows.add(grid("Tikhonov (CG)", "lambda %.4g", new double[] {1e-3, 3e-3, 1e-2, 3e-2, 1e-1}, cases,
                    l -> new Tikhonov().regularization(l).maxIterations(n)));
            // Richardson-Lucy models Poisson counts: its data are clipped at 0, as usual with Gaussian noise.
            List<Case> clipped = new ArrayList<>();
            for (Case c : cases) {
                float[] y = FloatImages.copyData(c.problem().data());
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(0f, y[i]);
                }
                Img<FloatType> yc = FloatImages.wrap(y, net.imglib2.util.Intervals.dimensionsAsLongArray(c.problem().data()));
                clipped.add(new Case(Problem.of(c.problem().operator(), yc)
                        .withReference(c.problem().reference().orElseThrow()).withDataRange(1.0), yc));
            }
            rows.add(bestIterate("Richardson-Lucy", "data clipped at 0", clipped,
                    () -> new RichardsonLucy().maxIterations(4 * n)));
            rows.add(grid("TV (PDHG)", "lambda %.4g", new double[] {0.001, 0.002, 0.004, 0.008, 0.016}, cases,
                    l -> new TvPdhg().regularization(l).maxIterations(5 * n)));
        }
        Row bestPnp = null;
        double bestStrength = 1;
        double bestSigma = 0;
        for (DenoiserModel model : models) {
            NetworkDenoiser d = new NetworkDenoiser(model);
            for (double k : plan.strengths()) {
                Row r = pnp(ct, d, k, model.spec().name() + String.format(Locale.ROOT, ", strength x%.2g", k), cases);
                log.accept(String.format(Locale.ROOT, "  PnP %s: %.2f dB", r.setting, r.psnr));
                if (bestPnp == null || r.psnr > bestPnp.psnr) {
                    bestPnp = r;
                    bestStrength = k;
                    bestSigma = model.noiseSigma();
                }
            }
        }
        rows.add(bestPnp);
        if (unconstrained != null) {
            // The same effective noise level as the best certified setting: D(k x) / k with k matching.
            double k = bestStrength * unconstrainedSigma / bestSigma;
            rows.add(pnp(ct, unconstrained, k, String.format(Locale.ROOT, "%s, strength x%.2g (same level as the "
                    + "best certified setting)", unconstrained.describe(), k), cases));
        }
        for (Row r : rows) {
            log.accept(String.format(Locale.ROOT, "  %-34s %6.2f dB  SSIM %.4f  %s", r.method, r.psnr, r.ssim,
                    r.setting));
        }
        return new Task(name, description, images.stream().map(HeldOutImages.Named::name).toList(), rows);
    }

    private Row pnp(boolean ct, Denoiser d, double strength, String setting, List<Case> cases) {
        Denoiser scaled = strength == 1 ? d : new ScaledDenoiser(d, strength);
        String method = (ct ? "PnP-PGD" : "PnP-ADMM") + (Double.isNaN(d.lipschitzBound()) ? " + unconstrained"
                : " + 1-Lipschitz (ours)");
        return run(method, setting, cases, () -> ct ? new PnpPgd(scaled).maxIterations(plan.iterations())
                : new PnpAdmm(scaled).maxIterations(plan.iterations()), false);
    }

    private Row direct(String method, String setting, List<Case> cases, Function<Case, Img<FloatType>> f) {
        double p = 0;
        double s = 0;
        for (Case c : cases) {
            Img<FloatType> x = f.apply(c);
            var ref = c.problem().reference().orElseThrow();
            p += Metrics.psnr(x, ref, 1.0);
            s += Metrics.ssim(x, ref, 1.0);
        }
        return new Row(method, setting, p / cases.size(), s / cases.size(), new double[0], 0, "");
    }

    private Row grid(String method, String format, double[] values, List<Case> cases,
            java.util.function.DoubleFunction<IterativeSolver<?>> make) {
        Row best = null;
        for (double v : values) {
            Row r = run(method, String.format(Locale.ROOT, format, v), cases, () -> make.apply(v), false);
            best = best == null || r.psnr > best.psnr ? r : best;
        }
        return best;
    }

    private Row bestIterate(String method, String setting, List<Case> cases,
            java.util.function.Supplier<IterativeSolver<?>> make) {
        return run(method, setting, cases, make, true);
    }

    /**
     * Runs on every case; PSNR / SSIM of the returned image, or of the best iterate when
     * {@code oracleStop} (early stopping with the ground truth, the most favourable tuning).
     */
    private Row run(String method, String setting, List<Case> cases, java.util.function.Supplier<IterativeSolver<?>> make,
            boolean oracleStop) {
        double p = 0;
        double s = 0;
        double[] residuals = null;
        int increases = 0;
        int[] stops = new int[cases.size()];
        int i = 0;
        String note = "";
        for (Case c : cases) {
            SolverResult r = make.get().tolerance(0).solve(c.problem());
            if (oracleStop) {
                int best = 0;
                for (int k = 1; k < r.psnr().length; k++) {
                    best = r.psnr()[k] > r.psnr()[best] ? k : best;
                }
                p += r.psnr()[best];
                s += r.ssim()[best];
                stops[i] = best + 1;
            } else {
                var ref = c.problem().reference().orElseThrow();
                p += Metrics.psnr(r.image(), ref, 1.0);
                s += Metrics.ssim(r.image(), ref, 1.0);
            }
            if (residuals == null) {
                residuals = r.residuals();
            }
            increases += increasesAboveFloor(r.residuals());
            if (!r.stopReason().toString().isEmpty() && i == 0) {
                note = r.stopReason().toString();
            }
            i++;
        }
        String set = setting;
        if (oracleStop) {
            set = (setting.isEmpty() ? "" : setting + ", ") + "best iteration " + java.util.Arrays.toString(stops);
        }
        return new Row(method, set, p / cases.size(), s / cases.size(), residuals, increases, note);
    }

    /** Below this fraction of the first residual, float32 rounding and the data step's CG tolerance dominate. */
    static final double RESIDUAL_FLOOR = 1e-4;

    /** Iterations whose residual grew, counted while the previous one was above the floor. */
    static int increasesAboveFloor(double[] residuals) {
        int n = 0;
        for (int k = 1; k < residuals.length; k++) {
            if (residuals[k - 1] > RESIDUAL_FLOOR * residuals[0] && residuals[k] > residuals[k - 1] * (1 + 1e-6)) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------------------ output

    public static String markdown(Result r, Map<String, String> figures) {
        StringBuilder s = new StringBuilder();
        for (Task t : r.tasks()) {
            s.append("### ").append(t.name()).append("\n\n").append(t.description()).append(". Images (held out, ")
                    .append(r.plan().crop()).append(" px centre crops, [0, 1]): ").append(String.join(", ", t.images()))
                    .append(".\n\n| method | best setting | PSNR (dB) | SSIM | residual increases |\n|---|---|---|---|---|\n");
            double bestClassical = Double.NEGATIVE_INFINITY;
            Row ours = null;
            for (Row row : t.rows()) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.4f | %d |%n", row.method(), row.setting(),
                        row.psnr(), row.ssim(), row.residualIncreases()));
                if (row.method().contains("ours")) {
                    ours = row;
                } else if (!row.method().startsWith("PnP")) {
                    bestClassical = Math.max(bestClassical, row.psnr());
                }
            }
            if (ours != null) {
                s.append(String.format(Locale.ROOT, "%nPnP with the certified denoiser minus the best classical "
                        + "baseline: **%+.2f dB**.%n", ours.psnr() - bestClassical));
            }
            String fig = figures.get(t.name());
            if (fig != null) {
                s.append("\n![Fixed-point residuals, ").append(t.name()).append("](").append(fig).append(")\n");
            }
            s.append("\n");
        }
        s.append("\"residual increases\" counts iterations (over all images) where the fixed-point residual grew "
                + "while it was above 1e-4 of its first value (below that, float32 rounding and the conjugate-"
                + "gradient tolerance of the data step dominate); the theory of docs/theory.md makes it 0 for "
                + "the averaged PnP iterations with a certified denoiser. For PnP-ADMM the residual is that of "
                + "its Douglas-Rachford variable s = x + u; for TV (PDHG) the primal iterates need not be "
                + "monotone.\n");
        return s.toString();
    }

    /** The residual curves of the PnP rows (first image of each task). */
    public static Map<String, String> writeFigures(Result r, Path docs, String folder) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Task t : r.tasks()) {
            LinePlot plot = new LinePlot("Fixed-point residual, " + t.name(), "iteration", "||x_{k+1} - x_k||")
                    .logY();
            boolean any = false;
            for (Row row : t.rows()) {
                if (row.method().startsWith("PnP") && row.residuals().length > 0) {
                    double[] x = new double[row.residuals().length];
                    double[] y = new double[x.length];
                    for (int k = 0; k < x.length; k++) {
                        x[k] = k + 1;
                        y[k] = Math.max(row.residuals()[k], 1e-12);
                    }
                    plot.add(row.method(), x, y, false);
                    any = true;
                }
            }
            if (any) {
                String rel = folder + "/residuals_" + t.name().replaceAll("[^a-zA-Z0-9]+", "_") + ".png";
                Files.createDirectories(docs.resolve(rel).getParent());
                plot.writePng(docs.resolve(rel), 800, 480);
                out.put(t.name(), rel);
            }
        }
        return out;
    }
}
