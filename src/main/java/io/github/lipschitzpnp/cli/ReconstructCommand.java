package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.PlaneParts;
import io.github.lipschitzpnp.image.PlaneReader;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
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
        ImageFiles.checkWritable(out, writeOptions(in, reference)); // before the work, not after
        PlaneReader sinos = PlaneReader.open(in);
        int slices = sinos.planes();
        boolean stack = slices > 1;
        ImageFiles.LoadedImage first = sinos.plane(0);
        ImageFiles.checkUsable(first.image(), "sinogram " + in + (stack ? " slice 0" : ""));
        long detectors = first.image().dimension(0);
        long rows = first.image().dimension(1);
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
        PlaneReader refs = references(stack ? new long[] {n, n, slices} : new long[] {n, n});
        checkPlanes(sinos, refs, first, n);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("angles", a.length);
        extra.put("detectors", detectors);
        extra.put("size", n);
        long t0 = System.nanoTime();
        ImageCalibration cal = new ImageCalibration(first.calibration().pixelWidth(), first.calibration().pixelWidth(),
                stack ? first.calibration().pixelDepth() : 1, first.calibration().unit());
        String methodKey = fbp ? FBP : m.key();
        List<SliceSummary> done = new ArrayList<>();
        Metrics.SquaredError error = Metrics.SquaredError.NONE;
        Reconstruction.Outcome single = null; // the result of a 2D sinogram
        Img<FloatType> singleTruth = null;
        PlaneParts parts = stack ? PlaneParts.of(out) : null;
        DenoiserModel model = null;
        io.github.lipschitzpnp.model.RegulariserModel reg = null;
        try (CancelOnSignal cancel = new CancelOnSignal()) {
            if (fbp) {
                extra.put("filter", window.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            } else {
                model = openModel(m, Reconstruction.noiseProbe(z -> sinos.plane(z).image(), slices, a, n), extra);
                if (rho == null && m.hasPenalty() && model != null) {
                    settings = settings.withPenalty(Reconstruction.Settings.ctPenalty(model.noiseSigma()));
                }
                if (m.hasPenalty()) {
                    extra.put("rho", settings.penalty());
                }
                reg = openRegulariser(m, "advreg_ct", extra);
            }
            if (parts != null) {
                parts.reset();
            }
            ProgressBar bar = fbp ? null : new ProgressBar("reconstruct", common.quiet);
            try {
                for (int z = 0; z < slices; z++) {
                    Img<FloatType> sinogram = z == 0 ? first.image() : sinos.plane(z).image();
                    Img<FloatType> truth = refs == null ? null : refs.plane(z).image();
                    Reconstruction.Outcome o;
                    if (fbp) {
                        o = new Reconstruction.Outcome(Reconstruction.fbp(sinogram, a, n, window), null, null);
                    } else if (cancel.cancelled()) {
                        o = new Reconstruction.Outcome(Reconstruction.fbp(sinogram, a, n), null, null);
                    } else {
                        o = Reconstruction.reconstructCt(sinogram, a, n, settings, model == null ? null
                                : new NetworkDenoiser(model), reg == null ? null
                                : new io.github.lipschitzpnp.model.NetworkRegulariser(reg),
                                listener(bar, z, slices, stack ? "slice " + (z + 1) + "/" + slices + ", " : "", cancel),
                                truth);
                    }
                    done.add(SliceSummary.of(methodKey, o, truth));
                    if (truth != null) {
                        error = error.plus(Metrics.SquaredError.of(o.image(), truth));
                    }
                    if (parts != null) {
                        parts.write(z, o.image());
                    } else {
                        single = o;
                        singleTruth = truth;
                    }
                }
            } catch (io.github.lipschitzpnp.image.ImageFileException e) {
                throw e; // already names the file and the fix
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!stack) {
                write(single.image(), cal, out, in, reference);
                extra.put("output", out.toString());
                Map<String, Object> json = result(methodKey, single, singleTruth, seconds, extra);
                finish(json, out);
                return exitCode(single);
            }
            parts.assemble(slices, n, n, cal, writeOptions(in, reference));
            extra.put("output", out.toString());
            Map<String, Object> json = stackResult(methodKey, done, refs == null ? null : error.psnr(), seconds, extra);
            finish(json, out);
            return json.get("stop_reason").equals(StopReason.CANCELLED.name()) ? 130 : 0;
        } finally {
            if (parts != null) {
                parts.deleteQuietly();
            }
            if (model != null) {
                model.close();
            }
            if (reg != null) {
                reg.close();
            }
        }
    }

    /** The reference's planes, checked to make {@code dims}; null without --reference. */
    private PlaneReader references(long[] dims) {
        if (reference == null) {
            return null;
        }
        PlaneReader refs = PlaneReader.open(reference);
        Img<FloatType> one = refs.plane(0).image();
        long[] got = refs.planes() == 1 ? new long[] {one.dimension(0), one.dimension(1)}
                : new long[] {one.dimension(0), one.dimension(1), refs.planes()};
        checkReferenceSize(got, dims);
        return refs;
    }

    /**
     * Reads every plane once before any work (one plane in memory at a time): a bad value or a
     * plane of another size in slice 1,500 is refused now, not after hours of work.
     */
    private void checkPlanes(PlaneReader sinos, PlaneReader refs, ImageFiles.LoadedImage first, int n) {
        long[] size = Intervals.dimensionsAsLongArray(first.image());
        for (int z = 0; z < sinos.planes(); z++) {
            String where = sinos.planes() > 1 ? " slice " + z : "";
            Img<FloatType> plane = z == 0 ? first.image() : sinos.plane(z).image();
            ImageFiles.checkUsable(plane, "sinogram " + in + where);
            if (!Arrays.equals(Intervals.dimensionsAsLongArray(plane), size)) {
                throw new UserInputException("sinogram " + in + where + " is " + Arrays.toString(Intervals
                        .dimensionsAsLongArray(plane)) + " but slice 0 is " + Arrays.toString(size)
                        + ": every slice of a stack must have the same detectors and angles");
            }
            if (refs != null) {
                Img<FloatType> r = refs.plane(z).image();
                ImageFiles.checkUsable(r, "reference " + reference + where);
                if (r.dimension(0) != n || r.dimension(1) != n) {
                    throw new UserInputException("reference " + reference + where + " is " + Arrays.toString(
                            Intervals.dimensionsAsLongArray(r)) + " but the result's slices are [" + n + ", " + n + "]");
                }
            }
        }
    }

    /** One finished slice: its JSON row (iterations, stop reason, PSNR, SSIM), residuals and solver result. */
    record SliceSummary(Map<String, Object> row, double[] residuals, SolverResult solverResult) {
        static SliceSummary of(String methodKey, Reconstruction.Outcome o, Img<FloatType> truth) {
            Map<String, Object> one = SolveSupport.result(methodKey, o, truth, Double.NaN, Map.of());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("iterations", one.get("iterations"));
            row.put("stop_reason", one.get("stop_reason"));
            row.put("psnr", one.get("psnr"));
            row.put("ssim", one.get("ssim"));
            return new SliceSummary(row, (double[]) one.get("residuals"), o.result());
        }
    }

    /**
     * The JSON of a stack: {@link #result}'s keys with one residual list per slice, the PSNR over the
     * whole stack ({@code psnr}, null without a reference), the mean of the slices' SSIM, a stop
     * reason ("CANCELLED" when any slice was, the slices' common one, or "MIXED") and a "slices"
     * list; slices filled by FBP after Ctrl-C say so.
     */
    static Map<String, Object> stackResult(String methodKey, List<SliceSummary> slices, Double psnr, double seconds,
            Map<String, Object> extra) {
        List<Map<String, Object>> perSlice = new ArrayList<>();
        List<double[]> residuals = new ArrayList<>();
        int iterations = 0;
        double ssimSum = 0;
        boolean ssimKnown = psnr != null;
        boolean cancelled = false;
        SolverResult any = null;
        for (int z = 0; z < slices.size(); z++) {
            SliceSummary one = slices.get(z);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("slice", z + 1);
            row.putAll(one.row());
            perSlice.add(row);
            residuals.add(one.residuals());
            iterations = Math.max(iterations, (Integer) row.get("iterations"));
            if (row.get("ssim") == null) {
                ssimKnown = false;
            } else {
                ssimSum += (Double) row.get("ssim");
            }
            cancelled |= one.solverResult() != null && one.solverResult().stopReason() == StopReason.CANCELLED;
            if (any == null && one.solverResult() != null) {
                any = one.solverResult();
            }
        }
        if (cancelled) {
            // slices after the cancelled one got their FBP: say so instead of ONE_SHOT
            for (int z = perSlice.size() - 1; z >= 0 && slices.get(z).solverResult() == null; z--) {
                perSlice.get(z).put("stop_reason", "FBP_AFTER_CANCEL");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", methodKey);
        json.put("iterations", iterations);
        json.put("residuals", residuals);
        json.put("psnr", psnr);
        json.put("ssim", ssimKnown ? ssimSum / slices.size() : null);
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
