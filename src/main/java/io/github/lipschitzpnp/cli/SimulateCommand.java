package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

/**
 * {@code lpnp simulate CLEAN OUT}: a simulated acquisition with a known answer, from the same
 * pipeline code as Fiji's Simulate Acquisition ({@link Simulation}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate an acquisition of a clean image: blur (Gaussian or a PSF file, reflective boundary),",
            "sinogram (square 2D image; x = detector, y = angle) or random mask; then noise. Seeded.",
            "Gaussian noise level = sigma as a fraction of the data's range; Poisson level = photons at its maximum."})
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", paramLabel = "CLEAN", description = "Clean image or stack (TIFF or PNG).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Simulated data, 32-bit TIFF.")
    Path out;

    @Option(names = "--acquisition", defaultValue = "blur", description = "blur, sinogram or mask (default ${DEFAULT-VALUE}).")
    String acquisition;

    @Option(names = "--blur-sigma", defaultValue = "2",
            description = "Gaussian blur sigma in pixels (z: the same in planes) (default ${DEFAULT-VALUE}).")
    double blurSigma;

    @Option(names = "--psf", paramLabel = "PSF_FILE", description = "Blur with this PSF instead of a Gaussian.")
    Path psfFile;

    @Option(names = "--angles", defaultValue = "0:180:60",
            description = "Sinogram angles: start:end:count, comma list, count or file (default ${DEFAULT-VALUE}).")
    String angles;

    @Option(names = "--missing", defaultValue = "0.5", description = "Mask: fraction of missing pixels (default ${DEFAULT-VALUE}).")
    double missing;

    @Option(names = "--mask-out", paramLabel = "MASK", description = "Where the mask goes (default: OUT's name + _mask.tif).")
    Path maskOut;

    @Option(names = "--noise", defaultValue = "gaussian", description = "gaussian, poisson or none (default ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--level", defaultValue = "0.02",
            description = "Gaussian: sigma / range; Poisson: photons at the maximum (default ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Overwrite outputs that exist.")
    boolean force;

    @Override
    public Integer call() {
        String acq = acquisition.trim().toLowerCase(Locale.ROOT);
        if (!List.of("blur", "sinogram", "mask").contains(acq)) {
            throw new UserInputException("unknown --acquisition '" + acquisition + "': use blur, sinogram or mask");
        }
        Simulation.NoiseKind kind;
        try {
            kind = Simulation.NoiseKind.parse(noise);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (!(level >= 0) || Double.isInfinite(level) || (kind == Simulation.NoiseKind.POISSON && !(level > 0))) {
            throw new UserInputException("--level must be >= 0 (Gaussian) or > 0 photons (Poisson), got " + level);
        }
        ImageFiles.LoadedImage input = SolveSupport.input(in, "image");
        Img<FloatType> clean = input.image();
        long[] dims = Intervals.dimensionsAsLongArray(clean);
        long t0 = System.nanoTime();
        Map<String, Object> extra = new LinkedHashMap<>();
        Img<FloatType> data;
        ImageCalibration cal = input.calibration();
        ImageFiles.WriteOptions options = new ImageFiles.WriteOptions(force, psfFile == null ? List.of(in)
                : List.of(in, psfFile));
        try {
            if (acq.equals("sinogram")) {
                double[] a = Angles.parse(angles, 0);
                Img<FloatType> sino = Simulation.sinogram(clean, a);
                data = Simulation.noise(sino, kind, level, Scaling.minMax(sino), seed);
                extra.put("angles", a.length);
                cal = new ImageCalibration(cal.pixelWidth(), 1, cal.pixelDepth(), cal.unit());
            } else if (acq.equals("mask")) {
                Img<FloatType> mask = Simulation.randomMask(dims, missing, seed);
                Path mp = maskOut != null ? maskOut : out.resolveSibling(out.getFileName().toString()
                        .replaceAll("(?i)\\.tiff?$", "") + "_mask.tif");
                if (mp.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                    throw new UserInputException("--mask-out must differ from OUT");
                }
                data = Simulation.noise(Simulation.applyMask(clean, mask), kind, level, Scaling.minMax(clean), seed + 1);
                ImageFiles.writeTiff(mask, cal, mp, options);
                extra.put("mask", mp.toString());
                extra.put("missing", missing);
            } else {
                Img<FloatType> psf;
                if (psfFile != null) {
                    psf = SolveSupport.psfInput(psfFile).image();
                    extra.put("psf", psfFile.toString());
                } else {
                    if (!(blurSigma > 0)) {
                        throw new UserInputException("--blur-sigma must be positive, got " + blurSigma);
                    }
                    int sxy = DeconvolveCommand.odd(io.github.lipschitzpnp.physics.Psf.gaussianSize(blurSigma),
                            Math.min(dims[0], dims[1]));
                    psf = dims.length == 3 ? io.github.lipschitzpnp.physics.Psf.gaussian3D(blurSigma, blurSigma, sxy,
                            DeconvolveCommand.odd(io.github.lipschitzpnp.physics.Psf.gaussianSize(blurSigma), dims[2]))
                            : io.github.lipschitzpnp.physics.Psf.gaussian2D(blurSigma, sxy);
                    extra.put("psf", String.format(Locale.ROOT, "gaussian sigma %.4g px", blurSigma));
                }
                if (psf.numDimensions() != dims.length) {
                    throw new UserInputException("the PSF is " + psf.numDimensions() + "D but the image is " + dims.length
                            + "D: use a PSF with the image's number of dimensions");
                }
                data = Simulation.noise(Simulation.blur(clean, psf, Boundary.REFLECTIVE), kind, level,
                        Scaling.minMax(clean), seed);
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UserInputException("cannot read the angles: " + e.getMessage(), e);
        }
        ImageFiles.writeTiff(data, cal, out, options);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", acq);
        json.put("iterations", 0);
        json.put("residuals", new double[0]);
        json.put("psnr", null);
        json.put("ssim", null);
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        json.put("noise", Simulation.describeNoise(kind, level));
        json.put("seed", seed);
        json.put("dimensions", Intervals.dimensionsAsLongArray(data));
        json.putAll(extra);
        json.put("output", out.toString());
        common.say(String.format(Locale.ROOT, "wrote %s: %s %s, %s", out, acq,
                Arrays.toString(Intervals.dimensionsAsLongArray(data)), Simulation.describeNoise(kind, level)));
        common.finish(json, System.out);
        return 0;
    }
}
