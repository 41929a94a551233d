package io.github.lipschitzpnp.demo;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.model.NetworkRegulariser;
import io.github.lipschitzpnp.model.RegulariserModel;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.physics.LinearOperator;
import io.github.lipschitzpnp.physics.Noise;
import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.report.ImagePanel;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.IterativeSolver;
import io.github.lipschitzpnp.solve.LearnedRegularisation;
import io.github.lipschitzpnp.solve.Metrics;
import io.github.lipschitzpnp.solve.PnpAdmm;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.Regulariser;
import io.github.lipschitzpnp.solve.SolverResult;
import io.github.lipschitzpnp.solve.TvPdhg;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The learned regulariser against TV and PnP on held-out real images (sample-images/eval), for
 * docs/regulariser.md and the results command. Two tasks:
 * <ul>
 *   <li>deconvolution: Gaussian PSF sigma 2 px (reflective boundary), Gaussian noise 0.01 on the
 *       [0, 1] scale; tuned on a 128 x 128 centre crop of {@value #DECONV_TUNING}, reported on a
 *       224 x 224 crop (the cell) of {@value #DECONV_EVAL};</li>
 *   <li>sparse-view CT: 60 parallel-beam angles over 180 degrees, Gaussian noise 1% of the
 *       sinogram maximum; tuned on {@value #CT_TUNING} (binned to 128 x 128), reported on
 *       {@value #CT_EVAL}.</li>
 * </ul>
 * The weights lambda of TV and of the learned regulariser are each chosen as the best PSNR on
 * the tuning image over a fixed grid ({@link #TV_GRID_DECONV} etc.), then used unchanged on the
 * evaluation image; PnP-ADMM has no weight (the bundled denoiser is the only choice). The
 * learned regulariser and PnP start from the data (deconvolution) or the FBP (CT).
 */
public final class RegulariserComparison {

    public static final String DECONV_TUNING = "camera_512.png";
    public static final String DECONV_EVAL = "cell_qpi_512.tif";
    public static final String CT_TUNING = "mri_s1045_256.tif";
    public static final String CT_EVAL = "ct_small_mu_128.tif";
    /** Iteration budget of the learned-regulariser runs (each costs a forward and backward pass or more). */
    public static final int ITERATIONS = 80;
    public static final double[] TV_GRID_DECONV = {0.0003, 0.001, 0.003};
    public static final double[] REG_GRID_DECONV = {0.0003, 0.001, 0.003, 0.01};
    public static final double[] TV_GRID_CT = {1, 3, 10};
    public static final double[] REG_GRID_CT = {0.1, 0.3, 1, 3};

    /**
     * What to run.
     *
     * @param samples        the sample-images folder (with eval/)
     * @param out            where figures and TIFFs go (null: nowhere)
     * @param ctModel        learned regulariser for CT (bundled name or file)
     * @param deconvModel    learned regulariser for deconvolution
     * @param denoiser       denoiser for PnP-ADMM
     * @param quick          small crops and few iterations (tests)
     */
    public record Options(Path samples, Path out, String ctModel, String deconvModel, String denoiser, Device device,
            long seed, boolean quick, Consumer<String> log) {
    }

    /** One reconstruction on one image. */
    public record Row(String task, String image, String method, double lambda, double psnr, double ssim,
            int iterations, double seconds, String stop) {
    }

    /** All rows: the tuning runs (image = the tuning image) and the evaluation runs. */
    public record Result(List<Row> tuning, List<Row> evaluation) {
        /** The evaluation rows as a Markdown table. */
        public String markdown() {
            StringBuilder b = new StringBuilder("| task | image | method | lambda | PSNR (dB) | SSIM | iterations | time (s) |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            for (Row r : evaluation) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.3f | %s | %.1f |%n", r.task(),
                        r.image(), r.method(), Double.isNaN(r.lambda()) ? "" : fmt(r.lambda()), r.psnr(), r.ssim(),
                        r.iterations() > 0 ? String.valueOf(r.iterations()) : "", r.seconds()));
            }
            return b.toString();
        }
    }

    private record Task(String name, Img<FloatType> truth, LinearOperator op, Img<FloatType> data, Img<FloatType> start) {
    }

    private final Options o;

    public RegulariserComparison(Options options) {
        this.o = options;
    }

    /** Tunes on the tuning images, evaluates on the evaluation images, writes panels to {@code out}. */
    public Result run() throws IOException, ModelFileException {
        List<Row> tuning = new ArrayList<>();
        List<Row> evaluation = new ArrayList<>();
        if (o.out() != null) {
            Files.createDirectories(o.out());
        }
        try (DenoiserModel dm = BundledModels.load(o.denoiser(), o.device());
                RegulariserModel deconvReg = BundledModels.loadRegulariser(o.deconvModel(), o.device());
                RegulariserModel ctReg = BundledModels.loadRegulariser(o.ctModel(), o.device())) {
            Denoiser den = new NetworkDenoiser(dm);
            int crop = o.quick() ? 64 : 128;
            Task dt = deconvolution(load(DECONV_TUNING, crop, -1, -1, false), 1);
            Task de = deconvolution(load(DECONV_EVAL, o.quick() ? 64 : 224, 390, 250, false), 2);
            compare("deconvolution", dt, de, DECONV_TUNING, DECONV_EVAL, TV_GRID_DECONV, REG_GRID_DECONV,
                    new NetworkRegulariser(deconvReg), den, tuning, evaluation);
            Task ct = ct(load(CT_TUNING, 0, -1, -1, true), 3);
            Task ce = ct(load(CT_EVAL, 0, -1, -1, false), 4);
            compare("ct", ct, ce, CT_TUNING + " (binned 2x2)", CT_EVAL, TV_GRID_CT, REG_GRID_CT,
                    new NetworkRegulariser(ctReg), den, tuning, evaluation);
        }
        return new Result(tuning, evaluation);
    }

    private void compare(String name, Task tune, Task eval, String tuneName, String evalName, double[] tvGrid,
            double[] regGrid, Regulariser reg, Denoiser den, List<Row> tuning, List<Row> evaluation) throws IOException {
        double bestTv = tuneLambda(name, tune, tuneName, "TV", tvGrid, reg, tuning);
        double bestReg = tuneLambda(name, tune, tuneName, "learned regulariser", regGrid, reg, tuning);
        o.log().accept(String.format(Locale.ROOT, "%s: lambda TV %s, learned regulariser %s (tuned on %s)", name,
                fmt(bestTv), fmt(bestReg), tuneName));
        ImagePanel panel = new ImagePanel(0, 1).add(eval.truth(), "ground truth");
        String startName = name.equals("ct") ? "FBP (Hann)" : "blurred + noisy data";
        evaluation.add(row(name, evalName, startName, Double.NaN, eval.start(), eval, 0, 0, "direct"));
        panel.add(eval.start(), caption(startName, eval.start(), eval));
        for (String method : List.of("TV", "PnP-ADMM", "learned regulariser")) {
            double lambda = method.equals("TV") ? bestTv : method.equals("learned regulariser") ? bestReg : Double.NaN;
            long t0 = System.nanoTime();
            SolverResult r = solver(method, name, eval, lambda, reg, den).solve(problem(eval, method));
            double s = (System.nanoTime() - t0) / 1e9;
            Row row = row(name, evalName, method, lambda, r.image(), eval, r.iterations(), s, r.stopReason().toString());
            evaluation.add(row);
            panel.add(r.image(), caption(method, r.image(), eval));
            o.log().accept(String.format(Locale.ROOT, "  %-22s PSNR %.2f dB SSIM %.3f  %d it  %.1f s  %s", method,
                    row.psnr(), row.ssim(), row.iterations(), s, r.message()));
            if (o.out() != null && method.equals("learned regulariser")) {
                io.github.lipschitzpnp.report.LinePlot plot = new io.github.lipschitzpnp.report.LinePlot(
                        name + ": objective of the learned-regulariser reconstruction", "iteration", "objective");
                double[] obj = r.objectives();
                double[] it = new double[obj.length];
                for (int i = 0; i < it.length; i++) {
                    it[i] = i + 1;
                }
                plot.add("1/2||Ax-y||^2 + lambda R(x)", it, obj, false).writePng(
                        o.out().resolve("regulariser-" + name + "-objective.png"), 560, 340);
            }
        }
        if (o.out() != null) {
            panel.writePng(o.out().resolve("regulariser-" + name + "-panel.png"), 200);
        }
    }

    private double tuneLambda(String name, Task t, String image, String method, double[] grid, Regulariser reg,
            List<Row> tuning) {
        double best = grid[0];
        double bestPsnr = Double.NEGATIVE_INFINITY;
        for (double lambda : grid) {
            long t0 = System.nanoTime();
            SolverResult r = solver(method, name, t, lambda, reg, null).solve(problem(t, method));
            Row row = row(name, image, method, lambda, r.image(), t, r.iterations(), (System.nanoTime() - t0) / 1e9,
                    r.stopReason().toString());
            tuning.add(row);
            o.log().accept(String.format(Locale.ROOT, "  tuning %s %s lambda %s: PSNR %.2f dB (%d it)", name, method,
                    fmt(lambda), row.psnr(), row.iterations()));
            if (row.psnr() > bestPsnr) {
                bestPsnr = row.psnr();
                best = lambda;
            }
        }
        return best;
    }

    private IterativeSolver<?> solver(String method, String task, Task t, double lambda, Regulariser reg, Denoiser den) {
        boolean ct = task.equals("ct");
        int n = o.quick() ? 10 : 1;
        switch (method) {
            case "TV":
                return new TvPdhg().regularization(lambda).nonNegative(true).maxIterations((ct ? 1000 : 300) / n)
                        .tolerance(1e-6);
            case "PnP-ADMM":
                // CT: the penalty of lpnp reconstruct (by the model's sigma); deconvolution: the solver's ||A||^2.
                return new PnpAdmm(den).penalty(ct ? DemoRunner.ctPenalty(den, t.op()) : Double.NaN)
                        .maxIterations(30 / n).tolerance(1e-6);
            default:
                return new LearnedRegularisation(reg).regularization(lambda).maxIterations(ITERATIONS / n).tolerance(1e-6)
                        .objectiveTolerance(1e-6);
        }
    }

    private static Problem problem(Task t, String method) {
        Problem p = Problem.of(t.op(), t.data()).withReference(t.truth()).withDataRange(1.0);
        return method.equals("TV") ? p : p.withInitial(t.start());
    }

    private static Row row(String task, String image, String method, double lambda, RandomAccessibleInterval<FloatType> x,
            Task t, int iterations, double seconds, String stop) {
        return new Row(task, image, method, lambda, Metrics.psnr(x, t.truth(), 1.0), Metrics.ssim(x, t.truth(), 1.0),
                iterations, seconds, stop);
    }

    private static String caption(String method, RandomAccessibleInterval<FloatType> x, Task t) {
        return String.format(Locale.ROOT, "%s\n%.2f dB / %.3f", method, Metrics.psnr(x, t.truth(), 1.0),
                Metrics.ssim(x, t.truth(), 1.0));
    }

    private Task deconvolution(Img<FloatType> truth, long seedOffset) {
        Img<FloatType> psf = Psf.gaussian2D(2.0, Psf.gaussianSize(2.0));
        LinearOperator a = new ConvolutionOperator(psf, Intervals.dimensionsAsLongArray(truth), Boundary.REFLECTIVE);
        Img<FloatType> y = Noise.gaussian(a.apply(truth), 0.01, o.seed() + seedOffset);
        return new Task("deconvolution", truth, a, y, FloatImages.copy(y));
    }

    private Task ct(Img<FloatType> truth, long seedOffset) {
        int n = (int) truth.dimension(0);
        ParallelBeamRadon radon = new ParallelBeamRadon(n, ParallelBeamRadon.uniformAngles(60),
                ParallelBeamRadon.fullDetectorCount(n));
        Img<FloatType> clean = radon.apply(truth);
        double max = 0;
        for (FloatType t : clean) {
            max = Math.max(max, t.getRealDouble());
        }
        Img<FloatType> y = Noise.gaussian(clean, 0.01 * max, o.seed() + seedOffset);
        return new Task("ct", truth, radon, y, new Fbp(radon, Fbp.Window.HANN).reconstruct(y));
    }

    /** An eval image, optionally binned 2 x 2, cropped to a square (centre (cx, cy) or the middle), scaled to [0, 1]. */
    private Img<FloatType> load(String file, int crop, long cx, long cy, boolean bin) {
        Img<FloatType> raw = ImageFiles.read(o.samples().resolve("eval").resolve(file)).image();
        if (bin) {
            int w = (int) raw.dimension(0) / 2;
            int h = (int) raw.dimension(1) / 2;
            float[] src = FloatImages.copyData(raw);
            float[] d = new float[w * h];
            int sw = (int) raw.dimension(0);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = 2 * y * sw + 2 * x;
                    d[y * w + x] = 0.25f * (src[i] + src[i + 1] + src[i + sw] + src[i + sw + 1]);
                }
            }
            raw = FloatImages.wrap(d, w, h);
        }
        RandomAccessibleInterval<FloatType> view = raw;
        if (crop > 0 && (raw.dimension(0) > crop || raw.dimension(1) > crop)) {
            long x0 = cx < 0 ? (raw.dimension(0) - crop) / 2 : Math.max(0, Math.min(raw.dimension(0) - crop, cx - crop / 2));
            long y0 = cy < 0 ? (raw.dimension(1) - crop) / 2 : Math.max(0, Math.min(raw.dimension(1) - crop, cy - crop / 2));
            view = Views.zeroMin(Views.interval(raw, new long[] {x0, y0}, new long[] {x0 + crop - 1, y0 + crop - 1}));
        }
        return FloatImages.copy(Scaling.minMax(view).normalize(view));
    }

    static String fmt(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
