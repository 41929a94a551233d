package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.util.List;

/** ImageJ 1.x bridge of {@link GeneratePsfCommand}. */
public class GeneratePsfPlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Generate PSF (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        f.choice("Model", new String[] {"Born & Wolf", "Gaussian"}, "Born & Wolf");
        f.number("NA (numerical aperture)", 1.4, 3);
        f.number("Wavelength (emission, nm)", 520, 0);
        f.number("Refractive index (immersion)", 1.518, 4);
        f.number("Pixel (size, nm)", 100, 1);
        f.number("Z_step (nm)", 200, 1);
        f.number("Size (width and height, odd)", 31, 0);
        f.number("Planes (odd; 1 = 2D)", 1, 0);
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        GeneratePsfCommand c = new GeneratePsfCommand();
        c.model = f.text("Model");
        c.na = f.number("NA (numerical aperture)");
        c.wavelength = f.number("Wavelength (emission, nm)");
        c.refractiveIndex = f.number("Refractive index (immersion)");
        c.pixelSize = f.number("Pixel (size, nm)");
        c.zStep = f.number("Z_step (nm)");
        c.size = f.integer("Size (width and height, odd)");
        c.planes = f.integer("Planes (odd; 1 = 2D)");
        c.run();
        if (c.isCanceled()) {
            throw new IllegalArgumentException(c.getCancelReason());
        }
        return new Outcome(List.of(c.result), null, null, false, false);
    }
}
