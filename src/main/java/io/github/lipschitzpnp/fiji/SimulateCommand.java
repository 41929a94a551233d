package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.pipeline.Simulation;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * A simulated acquisition of a clean image, to try the reconstructions on data with a known
 * answer: blur (Gaussian in pixels, or the widefield PSF of the optics and the image's calibration),
 * a sinogram of every plane, or a random mask; then Gaussian or Poisson noise. Seeded.
 */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Simulate Acquisition (Lipschitz PnP)",
        label = "Simulate Acquisition (Lipschitz PnP)")
public class SimulateCommand extends ContextCommand {

    static final String BLUR_GAUSSIAN = "Blur (Gaussian)";
    static final String BLUR_OPTICS = "Blur (Born & Wolf PSF)";
    static final String SINOGRAM = "Sinogram";
    static final String MASK = "Mask";

    @Parameter(label = "Image (clean)")
    ImagePlus image;

    @Parameter(label = "Acquisition", choices = {BLUR_GAUSSIAN, BLUR_OPTICS, SINOGRAM, MASK})
    String acquisition = BLUR_GAUSSIAN;

    @Parameter(label = "Blur sigma (pixels; z: twice that)", min = "0.1")
    double blurSigma = 2;

    @Parameter(label = "Numerical aperture", min = "0.01", max = "1.7")
    double na = 1.4;

    @Parameter(label = "Emission wavelength (nm)", min = "100", max = "2000")
    double wavelength = 520;

    @Parameter(label = "Refractive index (immersion)", min = "1", max = "2")
    double refractiveIndex = 1.518;

    @Parameter(label = "Angles (sinogram, over 180 degrees)", min = "1")
    int angles = 60;

    @Parameter(label = "Missing fraction (mask)", min = "0", max = "0.99")
    double missing = 0.5;

    @Parameter(label = "Noise", choices = {"Gaussian", "Poisson", "None"})
    String noise = "Gaussian";

    @Parameter(label = "Noise level (Gaussian: sigma / range; Poisson: photons at max)", min = "0")
    double level = 0.02;

    @Parameter(label = "Seed")
    long seed = 1;

    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    @Parameter(type = ItemIO.OUTPUT, required = false)
    ImagePlus maskImage;

    @Override
    public void run() {
        try {
            ImagePlus imp = CommandSupport.present(image);
            Jobs.checkInput(imp, "image");
            Img<FloatType> psf = null;
            if (acquisition.equals(BLUR_GAUSSIAN)) {
                psf = imp.getNSlices() > 1
                        ? Psf.gaussian3D(blurSigma, 2 * blurSigma, odd(Psf.gaussianSize(blurSigma), imp.getWidth(),
                                imp.getHeight()), odd(Psf.gaussianSize(2 * blurSigma), imp.getNSlices(), imp.getNSlices()))
                        : Psf.gaussian2D(blurSigma, odd(Psf.gaussianSize(blurSigma), imp.getWidth(), imp.getHeight()));
            } else if (acquisition.equals(BLUR_OPTICS)) {
                psf = Jobs.psf(new Optics(Optics.Model.BORN_WOLF, na, wavelength, refractiveIndex), imp);
            }
            String mode = acquisition.startsWith("Blur") ? "Blur" : acquisition;
            Jobs.Result r = Jobs.simulate(imp, mode, psf, angles, missing, Simulation.NoiseKind.parse(noise), level,
                    seed);
            result = r.image();
            maskImage = r.extra();
        } catch (IllegalArgumentException e) {
            CommandSupport.reportError("Simulate Acquisition (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }

    private static int odd(int want, int a, int b) {
        int s = Math.min(want, Math.min(a, b));
        return s % 2 == 0 ? s - 1 : s;
    }
}
