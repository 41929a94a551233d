package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;

/** ImageJ 1.x bridge of {@link DeconvolveCommand}. */
public class DeconvolvePlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Deconvolve (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        f.message("Image: " + (current == null ? "(none open)" : current.getTitle()));
        f.imageChoice("PSF (an open image, or <none> to generate one)", true, Form.NONE);
        f.choice("Generate (when PSF is <none>)", new String[] {"Born & Wolf", "Gaussian"}, "Born & Wolf");
        f.number("NA (numerical aperture)", 1.4, 3);
        f.number("Wavelength (emission, nm)", 520, 0);
        f.number("Refractive index (immersion)", 1.518, 4);
        solverFields(f, METHODS, "PnP-ADMM", 50);
        f.choice("Boundary", new String[] {"REFLECTIVE", "PERIODIC", "ZERO"}, "REFLECTIVE");
        referenceFields(f);
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        ImagePlus psf = f.image("PSF (an open image, or <none> to generate one)");
        Optics optics = psf != null ? null : new Optics(Optics.Model.parse(f.text("Generate (when PSF is <none>)")),
                f.number("NA (numerical aperture)"), f.number("Wavelength (emission, nm)"),
                f.number("Refractive index (immersion)"));
        ImagePlus ref = f.image("Reference (for PSNR/SSIM)");
        Jobs.Result r = Jobs.deconvolve(current, psf, optics, Boundary.valueOf(f.text("Boundary")), solve(f, null), ref);
        return Outcome.of(r, f.flag("Plot convergence"), ref != null);
    }
}
