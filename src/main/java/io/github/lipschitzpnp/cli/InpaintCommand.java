package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lpnp inpaint IN MASK OUT}: the same job as Fiji's Inpaint, {@link Reconstruction#inpaint}. */
@Command(name = "inpaint", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fill in the missing pixels of a 2D image or 3D stack.",
            "MASK has the image's size; nonzero = observed pixel, 0 = missing (its value in IN is ignored).",
            "The observed values are scaled to [0, 1], solved, and restored; the output is a 32-bit TIFF."})
public final class InpaintCommand extends SolveSupport {

    @Parameters(index = "0", paramLabel = "IN", description = "Image with missing pixels (TIFF or PNG).")
    Path in;

    @Parameters(index = "1", paramLabel = "MASK", description = "Mask of the same size: nonzero = observed.")
    Path mask;

    @Parameters(index = "2", paramLabel = "OUT", description = "Output 32-bit TIFF.")
    Path out;

    @Option(names = "--method", defaultValue = "pnp-admm", description = "Method key (default ${DEFAULT-VALUE}).")
    String method;

    @Override
    public Integer call() throws Exception {
        Method m = parseMethod(method);
        Reconstruction.Settings settings = settings(m);
        ImageFiles.LoadedImage input = input(in, "image");
        Img<FloatType> image = input.image();
        long[] dims = Intervals.dimensionsAsLongArray(image);
        Img<FloatType> maskImage = input(mask, "mask").image();
        long[] maskDims = Intervals.dimensionsAsLongArray(maskImage);
        if (!Arrays.equals(dims, maskDims)) {
            throw new UserInputException("the mask " + mask + " is " + Arrays.toString(maskDims) + " but " + in + " is "
                    + Arrays.toString(dims) + ": give a mask of the image's size (nonzero = observed)");
        }
        Img<FloatType> ref = reference(dims);
        Map<String, Object> extra = new LinkedHashMap<>();
        long observed = 0;
        for (FloatType v : maskImage) {
            if (v.get() != 0) {
                observed++;
            }
        }
        extra.put("observed_fraction", observed / (double) Intervals.numElements(dims));
        long t0 = System.nanoTime();
        DenoiserModel model = openModel(m, image, maskImage, extra);
        Reconstruction.Outcome o;
        try (CancelOnSignal cancel = new CancelOnSignal()) {
            try {
                o = Reconstruction.inpaint(image, maskImage, settings, model == null ? null : new NetworkDenoiser(model),
                        listener("inpaint", cancel), ref);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            } finally {
                if (model != null) {
                    model.close();
                }
            }
            write(o.image(), input.calibration(), out, in, mask, reference);
            extra.put("output", out.toString());
            Map<String, Object> json = result(m.key(), o, ref, (System.nanoTime() - t0) / 1e9, extra);
            finish(json, out);
            return exitCode(o);
        }
    }
}
