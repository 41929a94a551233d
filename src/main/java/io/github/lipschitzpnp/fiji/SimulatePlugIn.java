package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.util.List;

/** ImageJ 1.x bridge of {@link SimulateCommand}. */
public class SimulatePlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Simulate Acquisition (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        f.choice("Acquisition", new String[] {SimulateCommand.BLUR_GAUSSIAN, SimulateCommand.BLUR_OPTICS,
            SimulateCommand.SINOGRAM, SimulateCommand.MASK}, SimulateCommand.BLUR_GAUSSIAN);
        f.number("Blur_sigma (pixels; z: twice that)", 2, 2);
        f.number("NA (numerical aperture)", 1.4, 3);
        f.number("Wavelength (emission, nm)", 520, 0);
        f.number("Refractive index (immersion)", 1.518, 4);
        f.number("Angles (sinogram, over 180 degrees)", 60, 0);
        f.number("Missing (fraction, mask)", 0.5, 2);
        f.choice("Noise", new String[] {"Gaussian", "Poisson", "None"}, "Gaussian");
        f.number("Level (Gaussian: sigma / range; Poisson: photons at max)", 0.02, 4);
        f.number("Seed", 1, 0);
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        SimulateCommand c = new SimulateCommand();
        c.image = current;
        c.acquisition = f.text("Acquisition");
        c.blurSigma = f.number("Blur_sigma (pixels; z: twice that)");
        c.na = f.number("NA (numerical aperture)");
        c.wavelength = f.number("Wavelength (emission, nm)");
        c.refractiveIndex = f.number("Refractive index (immersion)");
        c.angles = f.integer("Angles (sinogram, over 180 degrees)");
        c.missing = f.number("Missing (fraction, mask)");
        c.noise = f.text("Noise");
        c.level = f.number("Level (Gaussian: sigma / range; Poisson: photons at max)");
        c.seed = f.integer("Seed");
        c.run();
        if (c.isCanceled()) {
            throw new IllegalArgumentException(c.getCancelReason());
        }
        return new Outcome(c.maskImage == null ? List.of(c.result) : List.of(c.result, c.maskImage), null, null,
                false, false);
    }

}
