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

    /**
     * What to run. {@code penalties} are the PnP-ADMM penalties rho tried, as multiples of
     * ||A||^2 (PnP-PGD has no penalty: its step is fixed by ||A||).
     */
    public record Plan(List<String> deconvolutionImages, List<String> ctImages, int crop, int iterations,
            List<String> models, double[] strengths, double[] penalties, Path samples) {

        public Plan(List<String> deconvolutionImages, List<String> ctImages, int crop, int iterations,
                List<String> models, double[] strengths, Path samples) {
            this(deconvolutionImages, ctImages, crop, iterations, models, strengths, new double[] {1}, samples);
        }

        public static Plan full(Path samples) {
            return new Plan(List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif"),
                    List.of("ct_small_mu_256.tif", "mri_s1045_256.tif"), 256, 100, List.of("gauss5", "gauss15"),
                    new double[] {0.5, 1, 2, 4}, new double[] {0.1, 0.3, 1}, samples);
        }

        public static Plan quick(Path samples) {
            return new Plan(List.of("camera_512.png"), List.of("ct_small_mu_256.tif"), 48, 8, List.of("gauss5"),
                    new double[] {1, 2}, samples);
        }
    }

    /**
     * A method on one task, tuned two ways over the same trials: {@code setting}, {@code psnr} and
     * {@code ssim} are the one setting that is best on average over the images (as a user would
     * pick one setting for a whole data set); {@code perImage*} are each image's own best setting
     * (an oracle with the ground truth, the most favourable tuning). For iterative baselines the
     * settings are the iteration counts (stopping). Residuals: the first image's history at the
     * common setting; increases: over all images at that setting.
     */
    public record Row(String method, String setting, double psnr, double ssim, String perImageSetting,
            double perImagePsnr, double perImageSsim, double[] residuals, int residualIncreases, String note) {
    }

    /** One tried setting: per-image PSNR and SSIM, the first image's residuals, residual increases (all images). */
    record Trial(String setting, double[] psnr, double[] ssim, double[] residuals, int increases, String note) {
        /** The same trial labelled as lying on the edge of its grid (a wider grid might do better). */
        Trial atEdge() {
            return new Trial(setting + " (grid edge)", psnr, ssim, residuals, increases, note);
        }

        double meanPsnr() {
            return java.util.Arrays.stream(psnr).average().orElse(Double.NaN);
        }
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

    /**
     * The held-out deconvolution problem of the table: {@code truth} blurred by a Gaussian PSF of
     * sigma 2 px (reflective boundary) plus Gaussian noise of sigma 0.01 (1% of the [0, 1] range)
     * drawn from {@code seed}; the reference is {@code truth}, the data range 1.
     */
    public static Problem deconvolution(Img<FloatType> truth, long seed) {
        long[] dims = {truth.dimension(0), truth.dimension(1)};
        LinearOperator a = new ConvolutionOperator(Psf.gaussian2D(2.0, Psf.gaussianSize(2.0)), dims, Boundary.REFLECTIVE);
        Img<FloatType> y = HeldOutImages.noisy(a.apply(truth), 0.01, seed);
        return Problem.of(a, y).withReference(truth).withDataRange(1.0);
    }

    /**
     * The held-out sparse-view CT problem for one square image on [0, 1]: 60 parallel-beam angles
     * over 180 degrees, full detector, seeded Gaussian noise of 1% of the sinogram's maximum, FBP
     * (Hann) as the initial guess, the image as reference (data range 1). The seeds of this
     * comparison's CT images are 14, 15, ... (after the three deconvolution images).
     */
    public static Problem sparseViewCt(Img<FloatType> truth, long seed) {
        int size = (int) truth.dimension(0);
        if (truth.dimension(1) != size) {
            throw new IllegalArgumentException("sparse-view CT needs a square image, got " + truth.dimension(0) + " x "
                    + truth.dimension(1));
        }
        ParallelBeamRadon radon = new ParallelBeamRadon(size, ParallelBeamRadon.uniformAngles(60),
                ParallelBeamRadon.fullDetectorCount(size));
        Img<FloatType> clean = radon.apply(truth);
        double max = 0;
        for (float v : FloatImages.data(clean)) {
            max = Math.max(max, v);
        }
        Img<FloatType> y = HeldOutImages.noisy(clean, 0.01 * max, seed);
        Img<FloatType> fbp = new Fbp(radon, Fbp.Window.HANN).reconstruct(y);
        return Problem.of(radon, y).withReference(truth).withDataRange(1.0).withInitial(fbp);
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
        List<Problem> deconv = new ArrayList<>();
        long seed = 11;
        for (HeldOutImages.Named n : dImgs) {
            deconv.add(deconvolution(n.image(), seed++));
        }
        tasks.add(task("deconvolution", "Gaussian PSF sigma 2 px (reflective boundary), Gaussian noise sigma 0.01 "
                + "(1% of the [0, 1] range)", dImgs, deconv, false, models));

        List<HeldOutImages.Named> cImgs = HeldOutImages.load(plan.samples().resolve("eval"), plan.ctImages(),
                plan.crop());
        List<Problem> ct = new ArrayList<>();
        for (HeldOutImages.Named n : cImgs) {
            if (n.image().dimension(1) != n.image().dimension(0)) {
                throw new IllegalArgumentException(n.name() + " is not square");
            }
            ct.add(sparseViewCt(n.image(), seed++));
        }
        tasks.add(task("sparse-view CT", "60 parallel-beam angles over 180 degrees, full detector, Gaussian noise "
                + "sigma 1% of the sinogram's maximum; iterative methods start from FBP (Hann)", cImgs, ct, true, models));
        return new Result(plan, tasks);
    }

    private Task task(String name, String description, List<HeldOutImages.Named> images, List<Problem> cases, boolean ct,
            List<DenoiserModel> models) {
        log.accept(name + ": " + description);
        List<Row> rows = new ArrayList<>();
        int n = plan.iterations();
        if (ct) {
            List<Trial> windows = new ArrayList<>();
            for (Fbp.Window w : Fbp.Window.values()) {
                windows.add(direct(w.toString(), cases, c -> new Fbp((ParallelBeamRadon) c.operator(), w)
                        .reconstruct(c.data())));
            }
            rows.add(choose("FBP", windows));
            rows.add(bestIterate("SIRT (x >= 0)", "", cases, () -> new Sirt().nonNegative(true).maxIterations(4 * n)));
            rows.add(bestIterate("CGLS", "", cases, () -> new Cgls().maxIterations(n)));
            // TV gets 30 times the PnP budget: with PDHG's diagonal steps lambda 16 reaches 31.09 dB at
            // 1,000 iterations and 31.29 dB at 3,000 (scalar steps: 27.99 dB at 3,000, 29.74 dB at 10,000;
            // scripts/probes/CtTvProbe.java).
            rows.add(grid("TV (PDHG)", "lambda %.4g", new double[] {2, 4, 8, 16, 32}, cases,
                    l -> new TvPdhg().regularization(l).nonNegative(true).maxIterations(30 * n)));
        } else {
            rows.add(grid("Tikhonov (CG)", "lambda %.4g", new double[] {1e-3, 3e-3, 1e-2, 3e-2, 1e-1}, cases,
                    l -> new Tikhonov().regularization(l).maxIterations(n)));
            // Richardson-Lucy models Poisson counts: its data are clipped at 0, as usual with Gaussian noise.
            List<Problem> clipped = new ArrayList<>();
            for (Problem c : cases) {
                float[] y = FloatImages.copyData(c.data());
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(0f, y[i]);
                }
                Img<FloatType> yc = FloatImages.wrap(y, net.imglib2.util.Intervals.dimensionsAsLongArray(c.data()));
                clipped.add(Problem.of(c.operator(), yc).withReference(c.reference().orElseThrow()).withDataRange(1.0));
            }
            rows.add(bestIterate("Richardson-Lucy", "data clipped at 0", clipped,
                    () -> new RichardsonLucy().maxIterations(4 * n)));
            rows.add(grid("TV (PDHG)", "lambda %.4g", new double[] {1.25e-4, 2.5e-4, 5e-4, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032}, cases,
                    l -> new TvPdhg().regularization(l).maxIterations(5 * n)));
        }
        // PnP: every solver (CT: PnP-PGD and PnP-ADMM; deconvolution: PnP-ADMM) over models x strengths
        // (x penalties rho for ADMM), one row per solver.
        double bestMean = Double.NEGATIVE_INFINITY;
        double bestStrength = 1;
        double bestSigma = 0;
        double bestPenalty = 1;
        boolean bestAdmm = true;
        for (boolean admm : ct ? new boolean[] {false, true} : new boolean[] {true}) {
            List<Trial> trials = new ArrayList<>();
            double[] strengths = plan.strengths();
            double[] penalties = admm ? plan.penalties() : new double[] {1};
            for (DenoiserModel model : models) {
                NetworkDenoiser d = new NetworkDenoiser(model);
                for (int ki = 0; ki < strengths.length; ki++) {
                    double k = strengths[ki];
                    for (int ri = 0; ri < penalties.length; ri++) {
                        double rho = penalties[ri];
                        Trial t = pnp(admm, d, k, rho, model.spec().name() + String.format(Locale.ROOT,
                                ", strength x%.2g", k) + (penalties.length > 1 ? String.format(Locale.ROOT,
                                ", rho %.2g", rho) : ""), cases);
                        if (atEdge(ki, strengths.length) || atEdge(ri, penalties.length)) {
                            t = t.atEdge();
                        }
                        log.accept(String.format(Locale.ROOT, "  %s %s: %.2f dB", admm ? "PnP-ADMM" : "PnP-PGD",
                                t.setting(), t.meanPsnr()));
                        trials.add(t);
                        if (t.meanPsnr() > bestMean) {
                            bestMean = t.meanPsnr();
                            bestStrength = k;
                            bestSigma = model.noiseSigma();
                            bestPenalty = rho;
                            bestAdmm = admm;
                        }
                    }
                }
            }
            rows.add(choose(pnpMethod(admm, false), trials));
        }
        if (unconstrained != null) {
            // The same solver and effective noise level as the best certified setting: D(k x) / k with k matching.
            double k = bestStrength * unconstrainedSigma / bestSigma;
            rows.add(choose(pnpMethod(bestAdmm, true), List.of(pnp(bestAdmm, unconstrained, k, bestPenalty,
                    String.format(Locale.ROOT, "%s, strength x%.2g%s (same level as the best certified setting)",
                            unconstrained.describe(), k, bestAdmm ? String.format(Locale.ROOT, ", rho %.2g",
                                    bestPenalty) : ""), cases))));
        }
        for (Row r : rows) {
            log.accept(String.format(Locale.ROOT, "  %-34s %6.2f dB  SSIM %.4f  %s; per image %.2f dB (%s)", r.method,
                    r.psnr, r.ssim, r.setting, r.perImagePsnr, r.perImageSetting));
        }
        return new Task(name, description, images.stream().map(HeldOutImages.Named::name).toList(), rows);
    }

    private static String pnpMethod(boolean admm, boolean unconstrained) {
        return (admm ? "PnP-ADMM" : "PnP-PGD") + (unconstrained ? " + unconstrained" : " + 1-Lipschitz (ours)");
    }

    /** PnP-ADMM with penalty {@code rho} x ||A||^2, or PnP-PGD (whose step is fixed by ||A||). */
    private Trial pnp(boolean admm, Denoiser d, double strength, double rho, String setting, List<Problem> cases) {
        Denoiser scaled = strength == 1 ? d : new ScaledDenoiser(d, strength);
        return run(setting, cases, () -> admm
                ? new PnpAdmm(scaled).penalty(rho * sq(cases.get(0).operator().norm()))
                        .maxIterations(plan.iterations())
                : new PnpPgd(scaled).maxIterations(plan.iterations()));
    }

    /** The first or last of several grid values. */
    private static boolean atEdge(int index, int count) {
        return count > 1 && (index == 0 || index == count - 1);
    }

    private static double sq(double v) {
        return v * v;
    }

    /** A direct (non-iterative) method's result for one setting. */
    private static Trial direct(String setting, List<Problem> cases, Function<Problem, Img<FloatType>> f) {
        double[] p = new double[cases.size()];
        double[] s = new double[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            Img<FloatType> x = f.apply(cases.get(i));
            var ref = cases.get(i).reference().orElseThrow();
            p[i] = Metrics.psnr(x, ref, 1.0);
            s[i] = Metrics.ssim(x, ref, 1.0);
        }
        return new Trial(setting, p, s, new double[0], 0, "");
    }

    /** A method over a grid of one parameter, each run to its iteration budget. */
    private Row grid(String method, String format, double[] values, List<Problem> cases,
            java.util.function.DoubleFunction<IterativeSolver<?>> make) {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            Trial t = run(String.format(Locale.ROOT, format, v), cases, () -> make.apply(v));
            trials.add(atEdge(i, values.length) ? t.atEdge() : t);
        }
        return choose(method, trials);
    }

    /**
     * An iterative method tuned by its stopping iteration: every iteration count is a trial (the
     * PSNR history of one run per image gives all of them).
     */
    private Row bestIterate(String method, String setting, List<Problem> cases,
            java.util.function.Supplier<IterativeSolver<?>> make) {
        List<SolverResult> results = solveAll(cases, make);
        int increases = increases(results);
        int length = results.stream().mapToInt(r -> r.psnr().length).min().orElse(0);
        List<Trial> trials = new ArrayList<>();
        for (int k = 0; k < length; k++) {
            double[] p = new double[cases.size()];
            double[] s = new double[cases.size()];
            for (int i = 0; i < cases.size(); i++) {
                p[i] = results.get(i).psnr()[k];
                s[i] = results.get(i).ssim()[k];
            }
            trials.add(new Trial((setting.isEmpty() ? "" : setting + ", ") + "iteration " + (k + 1), p, s,
                    results.get(0).residuals(), increases, results.get(0).stopReason().toString()));
        }
        return choose(method, trials);
    }

    /** Runs one setting on every case; PSNR / SSIM of the returned image. */
    private Trial run(String setting, List<Problem> cases, java.util.function.Supplier<IterativeSolver<?>> make) {
        List<SolverResult> results = solveAll(cases, make);
        var images = results.iterator(); // direct applies its function to the cases in order
        Trial scored = direct(setting, cases, c -> images.next().image());
        return new Trial(setting, scored.psnr(), scored.ssim(), results.get(0).residuals(), increases(results),
                results.get(0).stopReason().toString());
    }

    /** One run per case, to the full iteration budget (no convergence stop). */
    private static List<SolverResult> solveAll(List<Problem> cases, java.util.function.Supplier<IterativeSolver<?>> make) {
        List<SolverResult> results = new ArrayList<>();
        for (Problem c : cases) {
            results.add(make.get().tolerance(0).solve(c));
        }
        return results;
    }

    /** Residual increases above the floor, summed over the runs. */
    private static int increases(List<SolverResult> results) {
        return results.stream().mapToInt(r -> increasesAboveFloor(r.residuals())).sum();
    }

    /** The two tunings of a method from its trials: one setting for all images, and each image's best. */
    static Row choose(String method, List<Trial> trials) {
        Trial common = trials.get(0);
        for (Trial t : trials) {
            common = t.meanPsnr() > common.meanPsnr() ? t : common;
        }
        int images = common.psnr().length;
        double p = 0;
        double s = 0;
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            Trial best = trials.get(0);
            for (Trial t : trials) {
                best = t.psnr()[i] > best.psnr()[i] ? t : best;
            }
            p += best.psnr()[i];
            s += best.ssim()[i];
            chosen.add(best.setting());
        }
        String perImage = trials.size() == 1 ? "one setting" : summarise(chosen);
        return new Row(method, common.setting(), common.meanPsnr(),
                java.util.Arrays.stream(common.ssim()).average().orElse(Double.NaN), perImage, p / images, s / images,
                common.residuals(), common.increases(), common.note());
    }

    /** "iteration 89; iteration 3; iteration 85" becomes "iterations [89, 3, 85]". */
    private static String summarise(List<String> settings) {
        String prefix = settings.get(0).replaceAll("iteration \\d+$", "");
        boolean iterations = settings.stream().allMatch(x -> x.matches(java.util.regex.Pattern.quote(prefix)
                + "iteration \\d+"));
        if (iterations) {
            return prefix + "iterations " + settings.stream().map(x -> x.substring(x.lastIndexOf(' ') + 1)).toList();
        }
        return String.join("; ", settings);
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
                    .append(".\n\n| method | one setting for all images | PSNR (dB) | SSIM | best setting per image "
                            + "(oracle) | PSNR (dB) | SSIM | residual increases |\n|---|---|---|---|---|---|---|---|\n");
            double bestClassical = Double.NEGATIVE_INFINITY;
            double bestClassicalPerImage = Double.NEGATIVE_INFINITY;
            Row ours = null;
            double oursPerImage = Double.NEGATIVE_INFINITY;
            for (Row row : t.rows()) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.4f | %s | %.2f | %.4f | %d |%n", row.method(),
                        row.setting(), row.psnr(), row.ssim(), row.perImageSetting(), row.perImagePsnr(),
                        row.perImageSsim(), row.residualIncreases()));
                if (row.method().contains("ours")) {
                    ours = ours == null || row.psnr() > ours.psnr() ? row : ours;
                    oursPerImage = Math.max(oursPerImage, row.perImagePsnr());
                } else if (!row.method().startsWith("PnP")) {
                    bestClassical = Math.max(bestClassical, row.psnr());
                    bestClassicalPerImage = Math.max(bestClassicalPerImage, row.perImagePsnr());
                }
            }
            if (ours != null) {
                s.append(String.format(Locale.ROOT, "%nPnP with the certified denoiser minus the best classical "
                        + "baseline: **%+.2f dB** with one setting for all images, **%+.2f dB** with each image's "
                        + "best setting.%n", ours.psnr() - bestClassical, oursPerImage - bestClassicalPerImage));
            }
            String fig = figures.get(t.name());
            if (fig != null) {
                s.append("\n![Fixed-point residuals, ").append(t.name()).append("](").append(fig).append(")\n");
            }
            s.append("\n");
        }
        s.append("\"One setting for all images\" is the grid value (for iterative baselines: the stopping "
                + "iteration; for PnP: the model, its strength and, for PnP-ADMM, the penalty rho) with the best mean PSNR over the images; \"best "
                + "setting per image\" lets every image pick its own with the ground truth, which no user can do but "
                + "bounds what tuning can give. Grid values and iteration budgets are the same for both; \"(grid edge)\" "
                + "marks a choice at either end of its grid, where a wider grid might have done better.\n\n");
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
