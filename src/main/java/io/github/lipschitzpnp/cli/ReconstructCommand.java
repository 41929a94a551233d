package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Metrics;
import io.github.lipschitzpnp.solve.SolverResult;
import io.github.lipschitzpnp.solve.StopReason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lpnp reconstruct SINOGRAM OUT}: parallel-beam CT, the same job as Fiji's Reconstruct CT. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstruct CT slices from parallel-beam sinograms.",
            "SINOGRAM is 2D: x = detector bin, y = angle (one row per angle), or a stack of such sinograms (z = slice),",
            "reconstructed slice by slice into a stack. Methods: fbp (filtered back-projection, one shot) and every key",
            "of lpnp's method list (pnp-pgd, pnp-admm, pnp-drs, pnp-hqs, red, tv, tikhonov, sirt, cgls, ...).",
            "Iterative methods scale the data by the maximum of its Ram-Lak FBP. For a stack the JSON's residuals",
            "hold one list per slice, psnr is over the whole stack, ssim the mean of the slices', and \"slices\"",
            "gives each slice's iterations, stop reason, PSNR and SSIM; Ctrl-C keeps the slice being solved at its",
            "last iterate and fills the slices not yet started with their FBP (exit code 130)."})
public final class ReconstructCommand extends SolveSupport {

    static final String FBP = "fbp";

    @Parameters(index = "0", paramLabel = "SINOGRAM", description = "Sinogram (detectors x angles), or a stack of "
            + "them (detectors x angles x slices), TIFF or PNG.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output 32-bit TIFF, SIZE x SIZE (x slices).")
    Path out;

    @Option(names = "--angles", required = true, paramLabel = "SPEC",
            description = "Angles in degrees: start:end:count (end exclusive, e.g. 0:180:60), a comma list, a count "
                    + "(evenly over [0, 180)) or a text file of angles.")
    String angles;

    @Option(names = "--method", defaultValue = "pnp-admm", description = "Method key or fbp (default ${DEFAULT-VALUE}, "
            + "with --rho by model: 0.3 x (5/255) / the model's sigma).")
    String method;

    @Option(names = "--size", defaultValue = "0",
            description = "Side of the reconstructed slice in pixels (default: the number of detectors).")
    int size;

    @Option(names = "--filter", defaultValue = "ram-lak",
            description = "FBP filter: ram-lak, shepp-logan, cosine or hann (default ${DEFAULT-VALUE}; --method fbp only).")
    String filter;

    @Override
    public Integer call() throws Exception {
        boolean fbp = FBP.equalsIgnoreCase(method.trim());
        Method m = fbp ? null : parseMethod(method, FBP);
        Reconstruction.Settings settings = fbp ? null : settings(m);
        Fbp.Window window;
        try {
            window = Fbp.Window.valueOf(filter.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("unknown --filter '" + filter + "': use ram-lak, shepp-logan, cosine or hann", e);
        }
        if (!fbp && window != Fbp.Window.RAM_LAK) {
            common.say("note: --filter applies to --method fbp only; " + m.displayName() + " ignores it");
        }
        if (size < 0) {
            throw new UserInputException("--size must be positive (or 0 for the number of detectors), got " + size);
        }
        ImageFiles.LoadedImage input = input(in, "sinogram");
        Img<FloatType> sino = input.image();
        if (sino.numDimensions() != 2 && sino.numDimensions() != 3) {
            throw new UserInputException(in + " is " + sino.numDimensions() + "D; give a 2D sinogram (x = detector, "
                    + "y = angle) or a stack of them (z = slice)");
        }
        boolean stack = sino.numDimensions() == 3;
        int slices = stack ? (int) sino.dimension(2) : 1;
        long detectors = sino.dimension(0);
        long rows = sino.dimension(1);
        double[] a;
        try {
            a = Angles.parse(angles, 0);
        } catch (IllegalArgumentException | IOException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (a.length != rows) {
            String hint = a.length == detectors && rows != detectors
                    ? " It has " + detectors + " columns, as many as the angles: the sinogram looks transposed; "
                    + "rotate it by 90 degrees so that each row is one angle."
                    : " Give one angle per row.";
            throw new UserInputException("the sinogram " + in + " is " + detectors + " detectors x " + rows
                    + " angles (rows) but --angles " + angles + " gives " + a.length + " angles." + hint);
        }
        int n = size > 0 ? size : (int) detectors;
        Img<FloatType> ref = reference(stack ? new long[] {n, n, slices} : new long[] {n, n});
        List<Img<FloatType>> truths = new ArrayList<>(); // the reference's slices, null without one
        for (int z = 0; z < slices; z++) {
            truths.add(ref == null ? null : FloatImages.plane(ref, z));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("angles", a.length);
        extra.put("detectors", detectors);
        extra.put("size", n);
        long t0 = System.nanoTime();
        List<Reconstruction.Outcome> outcomes = new ArrayList<>();
        ImageCalibration cal = new ImageCalibration(input.calibration().pixelWidth(), input.calibration().pixelWidth(),
                stack ? input.calibration().pixelDepth() : 1, input.calibration().unit());
        try (CancelOnSignal cancel = new CancelOnSignal()) {
            if (fbp) {
                extra.put("filter", window.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                try {
                    for (int z = 0; z < slices; z++) {
                        Img<FloatType> sinogram = FloatImages.plane(sino, z);
                        outcomes.add(new Reconstruction.Outcome(Reconstruction.fbp(sinogram, a, n, window), null, null));
                    }
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(e.getMessage(), e);
                }
            } else {
                DenoiserModel model = openModel(m, Reconstruction.fbp(FloatImages.plane(sino, slices / 2), a, n), extra);
                if (rho == null && m.hasPenalty() && model != null) {
                    settings = settings.withPenalty(Reconstruction.Settings.ctPenalty(model.noiseSigma()));
                }
                if (m.hasPenalty()) {
                    extra.put("rho", settings.penalty());
                }
                io.github.lipschitzpnp.model.RegulariserModel reg = openRegulariser(m, "advreg_ct", extra);
                ProgressBar bar = new ProgressBar("reconstruct", common.quiet);
                try {
                    for (int z = 0; z < slices; z++) {
                        Img<FloatType> sinogram = FloatImages.plane(sino, z);
                        if (cancel.cancelled()) {
                            outcomes.add(new Reconstruction.Outcome(Reconstruction.fbp(sinogram, a, n), null, null));
                            continue;
                        }
                        outcomes.add(Reconstruction.reconstructCt(sinogram, a, n, settings, model == null ? null
                                : new NetworkDenoiser(model), reg == null ? null
                                : new io.github.lipschitzpnp.model.NetworkRegulariser(reg),
                                listener(bar, z, slices, stack ? "slice " + (z + 1) + "/" + slices + ", " : "", cancel),
                                truths.get(z)));
                    }
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(e.getMessage(), e);
                } finally {
                    if (model != null) {
                        model.close();
                    }
                    if (reg != null) {
                        reg.close();
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!stack) {
                Reconstruction.Outcome o = outcomes.get(0);
                write(o.image(), cal, out, in, reference);
                extra.put("output", out.toString());
                Map<String, Object> json = result(fbp ? FBP : m.key(), o, ref, seconds, extra);
                finish(json, out);
                return exitCode(o);
            }
            Img<FloatType> volume = FloatImages.stack(outcomes.stream().map(Reconstruction.Outcome::image).toList());
            write(volume, cal, out, in, reference);
            extra.put("output", out.toString());
            Map<String, Object> json = stackResult(fbp ? FBP : m.key(), outcomes, volume, ref, truths, seconds,
                    extra);
            finish(json, out);
            return json.get("stop_reason").equals(StopReason.CANCELLED.name()) ? 130 : 0;
        }
    }

    /**
     * The JSON of a stack: {@link #result}'s keys with one residual list per slice, the PSNR over the
     * stack ({@code ref}, whose slices are {@code truths}), the mean of the slices' SSIM, a stop reason ("CANCELLED" when any slice was, the slices'
     * common one, or "MIXED") and a "slices" list; slices filled by FBP after Ctrl-C say so.
     */
    static Map<String, Object> stackResult(String methodKey, List<Reconstruction.Outcome> outcomes,
            Img<FloatType> volume, Img<FloatType> ref, List<Img<FloatType>> truths, double seconds,
            Map<String, Object> extra) {
        List<Map<String, Object>> perSlice = new ArrayList<>();
        List<double[]> residuals = new ArrayList<>();
        int iterations = 0;
        double ssimSum = 0;
        boolean ssimKnown = ref != null;
        boolean cancelled = false;
        SolverResult any = null;
        for (int z = 0; z < outcomes.size(); z++) {
            Reconstruction.Outcome o = outcomes.get(z);
            Map<String, Object> one = result(methodKey, o, truths.get(z), Double.NaN, Map.of());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("slice", z + 1);
            row.put("iterations", one.get("iterations"));
            row.put("stop_reason", one.get("stop_reason"));
            row.put("psnr", one.get("psnr"));
            row.put("ssim", one.get("ssim"));
            perSlice.add(row);
            residuals.add((double[]) one.get("residuals"));
            iterations = Math.max(iterations, (Integer) one.get("iterations"));
            if (one.get("ssim") == null) {
                ssimKnown = false;
            } else {
                ssimSum += (Double) one.get("ssim");
            }
            cancelled |= o.result() != null && o.result().stopReason() == StopReason.CANCELLED;
            if (any == null && o.result() != null) {
                any = o.result();
            }
        }
        if (cancelled) {
            // slices after the cancelled one got their FBP: say so instead of ONE_SHOT
            for (int z = perSlice.size() - 1; z >= 0 && outcomes.get(z).result() == null; z--) {
                perSlice.get(z).put("stop_reason", "FBP_AFTER_CANCEL");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", methodKey);
        json.put("iterations", iterations);
        json.put("residuals", residuals);
        json.put("psnr", ref == null ? null : Metrics.psnr(volume, ref));
        json.put("ssim", ssimKnown ? ssimSum / outcomes.size() : null);
        json.put("seconds", seconds);
        java.util.Set<Object> reasons = new java.util.HashSet<>();
        perSlice.forEach(row -> reasons.add(row.get("stop_reason")));
        json.put("stop_reason", cancelled ? StopReason.CANCELLED.name()
                : reasons.size() == 1 ? reasons.iterator().next() : "MIXED");
        if (any != null) {
            json.put("guarantee", any.guarantee());
            json.put("algorithm", any.algorithm());
        }
        json.put("slices", perSlice);
        json.putAll(extra);
        return json;
    }
}
