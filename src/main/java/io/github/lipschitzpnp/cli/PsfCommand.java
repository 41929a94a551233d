package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.pipeline.Optics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lpnp psf OUT}: a generated widefield PSF, the same as Fiji's Generate PSF ({@link Optics#generate}). */
@Command(name = "psf", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a widefield PSF (Born & Wolf or its Gaussian fit) as a calibrated 32-bit TIFF,",
            "normalised to sum 1. A model PSF, not a measured one. Lengths in nanometres."})
public final class PsfCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", paramLabel = "OUT", description = "Output 32-bit TIFF.")
    Path out;

    @Option(names = "--model", defaultValue = "born-wolf", description = "born-wolf or gaussian (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--na", defaultValue = "1.4", description = "Numerical aperture (default ${DEFAULT-VALUE}).")
    double na;

    @Option(names = "--wavelength", defaultValue = "520", description = "Emission wavelength in nm (default ${DEFAULT-VALUE}).")
    double wavelength;

    @Option(names = "--refractive-index", defaultValue = "1.518",
            description = "Immersion refractive index (default ${DEFAULT-VALUE}).")
    double refractiveIndex;

    @Option(names = "--pixel-size", defaultValue = "100", description = "Pixel size in nm (default ${DEFAULT-VALUE}).")
    double pixelSize;

    @Option(names = "--z-step", defaultValue = "200", description = "Plane spacing in nm (default ${DEFAULT-VALUE}).")
    double zStep;

    @Option(names = "--size", defaultValue = "31", description = "Width and height in pixels, odd (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--planes", defaultValue = "1",
            description = "Planes, odd; 1 = the in-focus plane as a 2D image (default ${DEFAULT-VALUE}).")
    int planes;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (size < 3 || size % 2 == 0 || planes < 1 || planes % 2 == 0) {
            throw new UserInputException("--size must be odd and >= 3 and --planes odd and >= 1 (the PSF's centre is "
                    + "its middle pixel); got " + size + " and " + planes);
        }
        if (!(pixelSize > 0) || !(zStep > 0)) {
            throw new UserInputException("--pixel-size and --z-step must be positive (nanometres)");
        }
        long t0 = System.nanoTime();
        Optics optics;
        Img<FloatType> psf;
        try {
            optics = new Optics(Optics.Model.parse(model.replace('-', '_')), na,
                    wavelength, refractiveIndex);
            psf = optics.generate(pixelSize, zStep, size, planes, planes > 1);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        ImageFiles.writeTiff(psf, new ImageCalibration(pixelSize / 1000, pixelSize / 1000, zStep / 1000, "micron"), out,
                new ImageFiles.WriteOptions(force, java.util.List.of()));
        Map<String, Object> json = new LinkedHashMap<>();
        String key = optics.model() == Optics.Model.GAUSSIAN ? "gaussian" : "born-wolf";
        json.put("method", key);
        json.put("iterations", 0);
        json.put("residuals", new double[0]);
        json.put("psnr", null);
        json.put("ssim", null);
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        json.put("dimensions", Intervals.dimensionsAsLongArray(psf));
        json.put("sigma_lateral_nm", optics.sigmaLateralNm());
        json.put("sigma_axial_nm", optics.sigmaAxialNm());
        json.put("output", out.toString());
        common.say(String.format(Locale.ROOT, "wrote %s: %s, %s, pixel %.4g nm, z step %.4g nm", out, optics,
                java.util.Arrays.toString(Intervals.dimensionsAsLongArray(psf)), pixelSize, zStep));
        common.finish(json, System.out);
        return 0;
    }
}
