package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Metrics;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp denoise IN OUT}: one pass of a certified denoiser (the same code as the Fiji command). */
@Command(name = "denoise", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Denoise a 2D image (stacks slice by slice) with a certified 1-Lipschitz denoiser.",
            "The image is scaled to [0, 1] by its min and max, denoised in overlapping tiles, and restored to",
            "its units; the output is a 32-bit TIFF with the input's calibration."})
public final class DenoiseCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", paramLabel = "IN", description = "Noisy image (TIFF or PNG).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output 32-bit TIFF.")
    Path out;

    @Option(names = "--model", defaultValue = BundledModels.DEFAULT_DENOISER,
            description = "Bundled model name or .lpnp.zip file (default ${DEFAULT-VALUE}; see lpnp certify --list).")
    String model;

    @Option(names = "--sigma", defaultValue = "0",
            description = "Noise sigma in the image's units; 0 = the level the model was trained for (default).")
    double sigma;

    @Option(names = "--reference", description = "Clean image of the same size: PSNR and SSIM are reported.")
    Path reference;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!(sigma >= 0)) {
            throw new UserInputException("--sigma must be 0 or positive, got " + sigma);
        }
        ImageFiles.WriteOptions writeOptions = new ImageFiles.WriteOptions(force, java.util.List.of(in));
        // Before any work: a result that cannot be written is known now, not after the denoising.
        ImageFiles.checkWritable(out, writeOptions);
        ImageFiles.LoadedImage input = ImageFiles.read(in);
        ImageFiles.checkUsable(input.image(), in.toString());
        Img<FloatType> ref = null;
        if (reference != null) {
            ref = ImageFiles.read(reference).image();
            ImageFiles.checkUsable(ref, "reference " + reference);
            if (!Arrays.equals(Intervals.dimensionsAsLongArray(ref), Intervals.dimensionsAsLongArray(input.image()))) {
                throw new UserInputException("reference " + reference + " is " + Arrays.toString(Intervals
                        .dimensionsAsLongArray(ref)) + " but the image is " + Arrays.toString(Intervals
                        .dimensionsAsLongArray(input.image())) + ": give the clean version of the same image");
            }
        }
        long t0 = System.nanoTime();
        Map<String, Object> json = new LinkedHashMap<>();
        try (DenoiserModel m = BundledModels.load(model, common.device())) {
            Reconstruction.Outcome o = Reconstruction.denoise(input.image(), new NetworkDenoiser(m), sigma,
                    m.noiseSigma());
            ImageFiles.writeTiff(o.image(), input.calibration(), out, writeOptions);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Double psnr = null;
            Double ssim = null;
            if (ref != null) {
                double range = io.github.lipschitzpnp.image.Scaling.minMax(ref).span();
                psnr = Metrics.psnr(o.image(), ref, range);
                ssim = Metrics.ssim(o.image(), ref, range);
                json.put("psnr_input", Metrics.psnr(input.image(), ref, range));
            }
            common.say(String.format(Locale.ROOT, "wrote %s (%s, certified %.6f)%s in %.1f s", out, model,
                    m.certificate().certifiedBound(), psnr == null ? "" : String.format(Locale.ROOT,
                            "; PSNR %.2f dB, SSIM %.4f", psnr, ssim), seconds));
            json.put("psnr", psnr);
            json.put("ssim", ssim);
            json.put("seconds", seconds);
            json.put("certified_bound", m.certificate().certifiedBound());
            json.put("output", out.toString());
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        common.finish(json, System.out);
        return 0;
    }
}
