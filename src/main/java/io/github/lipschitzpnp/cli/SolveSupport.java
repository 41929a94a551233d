package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.pipeline.NoiseLevel;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.report.LinePlot;
import io.github.lipschitzpnp.solve.IterationListener;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Metrics;
import io.github.lipschitzpnp.solve.SolverResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the reconstruction subcommands (deconvolve, inpaint, reconstruct) share: method, model,
 * iteration options, reference, the progress bar with Ctrl-C, and the JSON result. Methods are
 * parsed by {@link Method#parse}, so every enum value is a valid {@code --method}; the extra keys
 * of a command (aliases like {@code rl}, {@code fbp}) are handled by the command.
 */
abstract class SolveSupport implements Callable<Integer> {

    /** Short aliases for {@link Method} keys. */
    static final Map<String, String> ALIASES = Map.of("rl", Method.RICHARDSON_LUCY.key());

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "Bundled model name or .lpnp.zip file for the PnP methods and RED (default: the bundled "
                    + "Gaussian denoiser closest to --noise-sigma, or to the noise estimated from the input).")
    String model;

    @Option(names = "--noise-sigma", paramLabel = "S",
            description = "Noise standard deviation on the [0, 1] scale of the data (min..max), used only to pick the "
                    + "default model; default: estimated from the input (median of Haar details).")
    Double noiseSigma;

    @Option(names = "--iterations", defaultValue = "50", description = "Iteration budget (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--tolerance", defaultValue = "1e-5",
            description = "Stop when the fixed-point residual falls below this times ||x|| (default ${DEFAULT-VALUE}; 0 = never).")
    double tolerance;

    @Option(names = "--lambda", defaultValue = "0.01",
            description = "Regularisation weight of TV, Tikhonov and RED, and Wiener's noise-to-signal ratio "
                    + "(default ${DEFAULT-VALUE}; on the [0, 1] scale of the data).")
    double lambda;

    @Option(names = "--rho",
            description = "Penalty of pnp-admm, pnp-drs and pnp-hqs as a multiple of ||A||^2 (default 1; for lpnp "
                    + "reconstruct by model, 0.3 x (5/255) / the model's sigma: gauss5 0.3, gauss15 0.1, gauss25 "
                    + "0.06, gauss50 0.03, each the best on held-out CT); smaller trusts the denoiser more (0.3 did "
                    + "better than 1 on most held-out deconvolutions, docs/results.md). The convergence guarantee "
                    + "holds for every rho > 0.")
    Double rho;

    @Option(names = "--reference", paramLabel = "CLEAN",
            description = "Clean image of the output's size: PSNR and SSIM are reported.")
    Path reference;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    /** Set by tests to simulate Ctrl-C after that many iterations; 0 = never. */
    static volatile int cancelAfterForTests;

    /** Method.parse with the aliases; unknown keys are a user error listing every choice. */
    static Method parseMethod(String text, String... extraChoices) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            return Method.parse(ALIASES.getOrDefault(t, t));
        } catch (IllegalArgumentException e) {
            List<String> keys = new ArrayList<>();
            keys.addAll(Arrays.asList(extraChoices));
            for (Method m : Method.values()) {
                keys.add(m.key());
            }
            keys.addAll(ALIASES.keySet());
            throw new UserInputException("unknown method '" + text + "': choose one of " + String.join(", ", keys), e);
        }
    }

    Reconstruction.Settings settings(Method method) {
        try {
            return new Reconstruction.Settings(method, iterations, tolerance, lambda, rho != null ? rho : 1);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage() + " (--iterations >= 1, --tolerance >= 0, --lambda > 0, --rho > 0 "
                    + "and only with pnp-admm, pnp-drs or pnp-hqs)", e);
        }
    }

    /** Reads a PSF file and checks its values are finite (a PSF may be as small as 1 x 1). */
    static ImageFiles.LoadedImage psfInput(Path file) {
        Objects.requireNonNull(file, "PSF");
        ImageFiles.LoadedImage img = ImageFiles.read(file);
        ImageFiles.checkFinite(img.image(), "PSF " + file);
        return img;
    }

    /** Reads and checks an input image (finite values, at least 4 x 4 pixels). */
    static ImageFiles.LoadedImage input(Path file, String role) {
        Objects.requireNonNull(file, role);
        ImageFiles.LoadedImage img = ImageFiles.read(file);
        ImageFiles.checkUsable(img.image(), role + " " + file);
        return img;
    }

    /** The reference image, checked to have {@code dims}; null without --reference. */
    Img<FloatType> reference(long[] dims) {
        if (reference == null) {
            return null;
        }
        Img<FloatType> ref = input(reference, "reference").image();
        checkReferenceSize(Intervals.dimensionsAsLongArray(ref), dims);
        return ref;
    }

    /** Refuses a --reference of dimensions {@code got} for a result of {@code dims}. */
    void checkReferenceSize(long[] got, long[] dims) {
        if (!Arrays.equals(got, dims)) {
            throw new UserInputException("reference " + reference + " is " + Arrays.toString(got)
                    + " but the result will be " + Arrays.toString(dims) + ": give the clean image of the same size");
        }
    }

    /**
     * The model for a method that needs one (else null): --model, or the bundled Gaussian denoiser
     * closest to the noise level. Records the choice in {@code json}. {@code mask} (may be null)
     * marks the observed pixels for the noise estimate.
     */
    DenoiserModel openModel(Method method, RandomAccessibleInterval<FloatType> data,
            RandomAccessibleInterval<FloatType> mask, Map<String, Object> json) {
        if (!method.needsDenoiser()) {
            if (model != null && !method.needsRegulariser()) {
                common.say("note: --model is ignored by " + method.displayName());
            }
            return null;
        }
        String name = model != null ? model : defaultModel(method, data, mask, json);
        try {
            DenoiserModel m = BundledModels.load(name, common.device());
            json.put("model", name);
            json.put("certified_bound", m.certificate().certifiedBound());
            return m;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage() + "; give --model with a bundled name " + BundledModels.names()
                    + " or a .lpnp.zip file", e);
        }
    }

    /**
     * The learned regulariser for {@link Method#ADVERSARIAL_REG} (else null): --model, or the bundled
     * {@code defaultName}. Records the choice in {@code json}.
     */
    io.github.lipschitzpnp.model.RegulariserModel openRegulariser(Method method, String defaultName,
            Map<String, Object> json) {
        if (!method.needsRegulariser()) {
            return null;
        }
        String name = model != null ? model : defaultName;
        try {
            io.github.lipschitzpnp.model.RegulariserModel r = BundledModels.loadRegulariser(name, common.device());
            json.put("model", name);
            json.put("certified_bound", r.certificate().certifiedBound());
            return r;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage() + "; give --model with a bundled regulariser "
                    + BundledModels.regularisers() + " or a .lpnp.zip file", e);
        }
    }

    DenoiserModel openModel(Method method, RandomAccessibleInterval<FloatType> data, Map<String, Object> json) {
        return openModel(method, data, null, json);
    }

    /**
     * The bundled Gaussian denoiser trained for the noise level closest to --noise-sigma, or to the
     * level estimated from the data (on its [0, 1] min..max scale). Records the estimate in json.
     */
    String defaultModel(Method method, RandomAccessibleInterval<FloatType> data, RandomAccessibleInterval<FloatType> mask,
            Map<String, Object> json) {
        double sigma;
        if (noiseSigma != null) {
            if (!(noiseSigma > 0) || Double.isInfinite(noiseSigma)) {
                throw new UserInputException("--noise-sigma must be positive, got " + noiseSigma);
            }
            sigma = noiseSigma;
        } else {
            sigma = NoiseLevel.estimateNormalized(data, mask);
            json.put("noise_sigma_estimate", sigma);
        }
        if (BundledModels.names().isEmpty()) {
            throw new UserInputException(method.displayName() + " needs a denoiser but this build bundles no "
                    + "model: give --model FILE.lpnp.zip, or choose a classical method (e.g. --method tv)");
        }
        try {
            String name = BundledModels.closestTo(sigma);
            common.say(String.format(Locale.ROOT, "model %s (bundled, closest to noise sigma %.4f)", name, sigma));
            return name;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage() + "; give --model FILE.lpnp.zip", e);
        }
    }

    /** The progress bar and Ctrl-C as an iteration listener. */
    IterationListener listener(String label, CancelOnSignal cancel) {
        return listener(new ProgressBar(label, common.quiet), 0, 1, "", cancel);
    }

    /**
     * As {@link #listener(String, CancelOnSignal)} for run {@code part} (0-based) of {@code parts}
     * runs sharing one bar (the slices of a stack): the bar counts the iterations of all runs, so
     * its ETA is for the whole job; {@code status} prefixes the residual (e.g. "slice 3/64, ").
     */
    IterationListener listener(ProgressBar bar, int part, int parts, String status, CancelOnSignal cancel) {
        int stopAt = cancelAfterForTests;
        return (k, residual, current) -> {
            bar.update((long) part * iterations + k, (long) parts * iterations,
                    status + String.format(Locale.ROOT, "residual %.3e", residual));
            if (stopAt > 0 && k >= stopAt) {
                cancel.cancel();
            }
            return !cancel.cancelled();
        };
    }

    /** Writes OUT atomically (never onto an input) with the input's calibration. */
    void write(Img<FloatType> image, ImageCalibration calibration, Path out, Path... inputs) {
        ImageFiles.writeTiff(image, calibration, out, writeOptions(inputs));
    }

    /** How OUT is written: replaced only with --force, never onto one of {@code inputs} (nulls skipped). */
    ImageFiles.WriteOptions writeOptions(Path... inputs) {
        List<Path> protect = new ArrayList<>();
        for (Path p : inputs) {
            if (p != null) {
                protect.add(p);
            }
        }
        return new ImageFiles.WriteOptions(force, protect);
    }

    /**
     * The JSON result: method, iterations, residuals, psnr and ssim (null without a reference),
     * seconds, then stop reason, guarantee and whatever {@code extra} holds.
     */
    static Map<String, Object> result(String methodKey, Reconstruction.Outcome o, Img<FloatType> ref, double seconds,
            Map<String, Object> extra) {
        Map<String, Object> json = new LinkedHashMap<>();
        SolverResult r = o.result();
        json.put("method", methodKey);
        json.put("iterations", r == null ? 1 : r.iterations());
        json.put("residuals", r == null ? new double[0] : r.residuals());
        Double psnr = null;
        Double ssim = null;
        if (ref != null) {
            psnr = Metrics.psnr(o.image(), ref);
            long min = Long.MAX_VALUE;
            for (long d : Intervals.dimensionsAsLongArray(ref)) {
                min = Math.min(min, d);
            }
            ssim = min >= 11 ? Metrics.ssim(o.image(), ref) : null;
        }
        json.put("psnr", psnr);
        json.put("ssim", ssim);
        json.put("seconds", seconds);
        json.put("stop_reason", r == null ? "ONE_SHOT" : r.stopReason().name());
        if (r != null) {
            json.put("message", r.message());
            json.put("guarantee", r.guarantee());
            json.put("algorithm", r.algorithm());
        }
        json.putAll(extra);
        return json;
    }

    /**
     * Ends a run: the summary line on stderr, with --report the residual plot (DIR/residuals.png,
     * one curve per slice for a stack) registered as the report's figure, then
     * {@link CommonOptions#finish}.
     */
    void finish(Map<String, Object> json, Path out) {
        summary(json, out);
        residualPlot(json);
        common.finish(json, System.out);
    }

    private void residualPlot(Map<String, Object> json) {
        if (common.report == null) {
            return;
        }
        List<double[]> curves = new ArrayList<>();
        Object r = json.get("residuals");
        if (r instanceof double[] one) {
            curves.add(one);
        } else if (r instanceof List<?> many) {
            for (Object o : many) {
                if (o instanceof double[] c) {
                    curves.add(c);
                }
            }
        }
        curves.removeIf(c -> c.length == 0);
        if (curves.isEmpty()) {
            return; // one-shot methods
        }
        LinePlot plot = new LinePlot(json.get("method") + ": fixed-point residual", "iteration", "||x_{k+1} - x_k||")
                .logY();
        for (int i = 0; i < curves.size(); i++) {
            double[] c = curves.get(i);
            double[] k = new double[c.length];
            for (int j = 0; j < k.length; j++) {
                k[j] = j + 1;
            }
            plot.add(curves.size() == 1 ? "residual" : "slice " + (i + 1), k, c, false);
        }
        if (curves.size() > 8) {
            plot.hideLegend();
        }
        try {
            Files.createDirectories(common.report);
            plot.writePng(common.report.resolve("residuals.png"), 720, 420);
        } catch (IOException e) {
            throw new UserInputException("cannot write the report to " + common.report + ": " + e.getMessage(), e);
        }
        common.figure("residuals.png", "Fixed-point residual per iteration (log scale)"
                + (curves.size() > 1 ? ", one curve per slice" : ""));
    }

    /** Human summary line on stderr. */
    void summary(Map<String, Object> json, Path out) {
        Object psnr = json.get("psnr");
        common.say(String.format(Locale.ROOT, "wrote %s: %s, %s iterations, %s%s in %.1f s", out, json.get("method"),
                json.get("iterations"), json.get("stop_reason"), psnr == null ? "" : String.format(Locale.ROOT,
                        "; PSNR %.2f dB, SSIM %s", (Double) psnr, json.get("ssim") == null ? "n/a"
                                : String.format(Locale.ROOT, "%.4f", (Double) json.get("ssim"))), (Double) json.get("seconds")));
    }

    /** Exit code: 0, or 130 after Ctrl-C (the last iterate was written). */
    static int exitCode(Reconstruction.Outcome o) {
        return o.result() != null && o.result().stopReason() == io.github.lipschitzpnp.solve.StopReason.CANCELLED
                ? 130 : 0;
    }
}
