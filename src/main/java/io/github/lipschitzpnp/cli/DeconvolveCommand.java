package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lpnp deconvolve IN OUT}: the same job as Fiji's Deconvolve, {@link Reconstruction#deconvolve}. */
@Command(name = "deconvolve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deconvolve a 2D image or a 3D stack with a PSF file or a Gaussian PSF.",
            "The data is scaled to [0, 1] by its min and max, solved, and restored to its units; the output is a",
            "32-bit TIFF with the input's calibration. Methods: every key of lpnp's method list (pnp-admm, pnp-pgd,",
            "pnp-drs, pnp-hqs, red, tv, tikhonov, richardson-lucy or rl, wiener, sirt, cgls)."})
public final class DeconvolveCommand extends SolveSupport {

    @Parameters(index = "0", paramLabel = "IN", description = "Blurred image or stack (TIFF or PNG).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output 32-bit TIFF.")
    Path out;

    static final class PsfChoice {
        @Option(names = "--psf", paramLabel = "PSF_FILE", required = true,
                description = "PSF image (2D for an image, 3D for a stack), centred; normalised to sum 1.")
        Path file;

        @Option(names = "--psf-gaussian", paramLabel = "SIGMA_PX", required = true,
                description = "Gaussian PSF with this lateral sigma in pixels.")
        Double sigma;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PsfChoice psf;

    @Option(names = "--psf-gaussian-z", paramLabel = "SIGMA_Z_PX",
            description = "Axial sigma (planes) of the Gaussian PSF for a stack (default: the lateral sigma).")
    Double sigmaZ;

    @Option(names = "--method", defaultValue = "pnp-admm", description = "Method key (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--boundary", defaultValue = "reflective",
            description = "Boundary: reflective, periodic or zero (default ${DEFAULT-VALUE}).")
    String boundary;

    @Override
    public Integer call() throws Exception {
        Method m = parseMethod(method);
        Reconstruction.Settings settings = settings(m);
        Boundary b;
        try {
            b = Boundary.valueOf(boundary.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("unknown --boundary '" + boundary + "': use reflective, periodic or zero", e);
        }
        ImageFiles.LoadedImage input = input(in, "image");
        Img<FloatType> image = input.image();
        long[] dims = Intervals.dimensionsAsLongArray(image);
        Img<FloatType> kernel = psf(dims);
        Img<FloatType> ref = reference(dims);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("psf", psf.file != null ? psf.file.toString() : String.format(Locale.ROOT, "gaussian sigma %.4g px%s",
                psf.sigma, dims.length == 3 ? String.format(Locale.ROOT, ", z %.4g", sigmaZ(dims)) : ""));
        extra.put("psf_size", Intervals.dimensionsAsLongArray(kernel));
        extra.put("boundary", b.name().toLowerCase(Locale.ROOT));
        long t0 = System.nanoTime();
        DenoiserModel model = openModel(m, image, extra);
        io.github.lipschitzpnp.model.RegulariserModel reg = openRegulariser(m, "advreg_deconvolution", extra);
        Reconstruction.Outcome o;
        try (CancelOnSignal cancel = new CancelOnSignal()) {
            try {
                o = Reconstruction.deconvolve(image, kernel, b, settings, model == null ? null : new NetworkDenoiser(model),
                        reg == null ? null : new io.github.lipschitzpnp.model.NetworkRegulariser(reg),
                        listener("deconvolve", cancel), ref);
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
            write(o.image(), input.calibration(), out, in, psf.file, reference);
            extra.put("output", out.toString());
            Map<String, Object> json = result(m.key(), o, ref, (System.nanoTime() - t0) / 1e9, extra);
            finish(json, out);
            return exitCode(o);
        }
    }

    private double sigmaZ(long[] dims) {
        return sigmaZ != null ? sigmaZ : psf.sigma;
    }

    /** The PSF from the file or the Gaussian, with the image's number of dimensions. */
    Img<FloatType> psf(long[] dims) {
        if (psf.file != null) {
            if (sigmaZ != null) {
                throw new UserInputException("--psf-gaussian-z goes with --psf-gaussian, not with --psf FILE");
            }
            Img<FloatType> k = SolveSupport.psfInput(psf.file).image();
            if (k.numDimensions() != dims.length) {
                throw new UserInputException("the PSF " + psf.file + " is " + k.numDimensions() + "D but " + in + " is "
                        + dims.length + "D: use a " + dims.length + "D PSF" + (dims.length == 3 ? " (a z-stack)" : ""));
            }
            for (int d = 0; d < dims.length; d++) {
                if (k.dimension(d) > dims[d]) {
                    throw new UserInputException("the PSF " + psf.file + " " + java.util.Arrays.toString(
                            Intervals.dimensionsAsLongArray(k)) + " is larger than the image " + java.util.Arrays
                            .toString(dims) + ": crop the PSF around its centre or use a larger image");
                }
            }
            return k;
        }
        double s = psf.sigma;
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new UserInputException("--psf-gaussian must be a positive sigma in pixels, got " + s);
        }
        if (sigmaZ != null && dims.length != 3) {
            throw new UserInputException("--psf-gaussian-z is for 3D stacks; " + in + " is 2D");
        }
        int sizeXY = odd(Psf.gaussianSize(s), Math.min(dims[0], dims[1]));
        if (dims.length == 2) {
            return Psf.gaussian2D(s, sizeXY);
        }
        double sz = sigmaZ(dims);
        if (!(sz > 0) || Double.isInfinite(sz)) {
            throw new UserInputException("--psf-gaussian-z must be a positive sigma in planes, got " + sz);
        }
        return Psf.gaussian3D(s, sz, sizeXY, odd(Psf.gaussianSize(sz), dims[2]));
    }

    /** The largest odd size not above {@code want} nor {@code cap}. */
    static int odd(int want, long cap) {
        long s = Math.min(want, cap);
        if (s % 2 == 0) {
            s--;
        }
        return (int) Math.max(1, s);
    }
}
