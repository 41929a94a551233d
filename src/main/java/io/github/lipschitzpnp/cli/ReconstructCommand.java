package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lpnp reconstruct SINOGRAM OUT}: parallel-beam CT, the same job as Fiji's Reconstruct CT. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstruct one CT slice from a parallel-beam sinogram.",
            "SINOGRAM is 2D: x = detector bin, y = angle (one row per angle). Methods: fbp (filtered back-projection,",
            "one shot) and every key of lpnp's method list (pnp-pgd, pnp-admm, pnp-drs, pnp-hqs, red, tv, tikhonov,",
            "sirt, cgls, ...). Iterative methods scale the data by the maximum of its Ram-Lak FBP."})
public final class ReconstructCommand extends SolveSupport {

    static final String FBP = "fbp";

    @Parameters(index = "0", paramLabel = "SINOGRAM", description = "Sinogram (detectors x angles), TIFF or PNG.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output 32-bit TIFF, SIZE x SIZE.")
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
        if (sino.numDimensions() != 2) {
            throw new UserInputException(in + " is " + sino.numDimensions() + "D; give one 2D sinogram "
                    + "(x = detector, y = angle); split a stack into slices first");
        }
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
        Img<FloatType> ref = reference(new long[] {n, n});
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("angles", a.length);
        extra.put("detectors", detectors);
        extra.put("size", n);
        long t0 = System.nanoTime();
        Reconstruction.Outcome o;
        ImageCalibration cal = new ImageCalibration(input.calibration().pixelWidth(), input.calibration().pixelWidth(),
                1, input.calibration().unit());
        try (CancelOnSignal cancel = new CancelOnSignal()) {
            if (fbp) {
                extra.put("filter", window.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                try {
                    o = new Reconstruction.Outcome(Reconstruction.fbp(sino, a, n, window), null, null);
                } catch (IllegalArgumentException e) {
                    throw new UserInputException(e.getMessage(), e);
                }
            } else {
                DenoiserModel model = openModel(m, Reconstruction.fbp(sino, a, n), extra);
                if (rho == null && m.hasPenalty() && model != null) {
                    settings = settings.withPenalty(Reconstruction.Settings.ctPenalty(model.noiseSigma()));
                }
                if (m.hasPenalty()) {
                    extra.put("rho", settings.penalty());
                }
                io.github.lipschitzpnp.model.RegulariserModel reg = openRegulariser(m, "advreg_ct", extra);
                try {
                    o = Reconstruction.reconstructCt(sino, a, n, settings, model == null ? null
                            : new NetworkDenoiser(model), reg == null ? null
                            : new io.github.lipschitzpnp.model.NetworkRegulariser(reg), listener("reconstruct", cancel), ref);
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
            write(o.image(), cal, out, in, reference);
            extra.put("output", out.toString());
            Map<String, Object> json = result(fbp ? FBP : m.key(), o, ref, (System.nanoTime() - t0) / 1e9, extra);
            summary(json, out);
            common.finish(json, System.out);
            return exitCode(o);
        }
    }
}
