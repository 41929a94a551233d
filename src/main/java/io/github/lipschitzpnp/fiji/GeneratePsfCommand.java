package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import ij.measure.Calibration;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.pipeline.Optics;
import java.util.Locale;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** A generated widefield PSF (Born & Wolf or Gaussian) as a calibrated 32-bit image or stack. */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Generate PSF (Lipschitz PnP)",
        label = "Generate PSF (Lipschitz PnP)")
public class GeneratePsfCommand extends ContextCommand {

    @Parameter(label = "Model", choices = {"Born & Wolf", "Gaussian"})
    String model = "Born & Wolf";

    @Parameter(label = "Numerical aperture", min = "0.01", max = "1.7")
    double na = 1.4;

    @Parameter(label = "Emission wavelength (nm)", min = "100", max = "2000")
    double wavelength = 520;

    @Parameter(label = "Refractive index (immersion)", min = "1", max = "2")
    double refractiveIndex = 1.518;

    @Parameter(label = "Pixel size (nm)", min = "1")
    double pixelSize = 100;

    @Parameter(label = "Z step (nm)", min = "1")
    double zStep = 200;

    @Parameter(label = "Width and height (pixels, odd)", min = "3")
    int size = 31;

    @Parameter(label = "Planes (odd; 1 = in-focus plane, 2D)", min = "1")
    int planes = 1;

    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    @Override
    public void run() {
        try {
            io.github.lipschitzpnp.image.MemoryCheck.require(io.github.lipschitzpnp.image.MemoryCheck.bytes(
                    io.github.lipschitzpnp.image.MemoryCheck.pixels(size, size, planes), 4L * 4),
                    "a PSF of " + size + " x " + size + " x " + planes + " pixels", null);
            Optics optics = new Optics(Optics.Model.parse(model), na, wavelength, refractiveIndex);
            var psf = optics.generate(pixelSize, zStep, size, planes, planes > 1);
            String title = String.format(Locale.ROOT, "PSF %s NA%.2f %.0fnm", optics.model().label(), na, wavelength);
            result = ImagePlusBridge.toImagePlus(psf, title,
                    new ImageCalibration(pixelSize / 1000, pixelSize / 1000, zStep / 1000, "micron"));
            Calibration cal = result.getCalibration();
            cal.xOrigin = size / 2;
            cal.yOrigin = size / 2;
            cal.zOrigin = planes / 2;
            result.setProperty("Info", "Lipschitz PnP: generated " + optics + ", pixel " + pixelSize + " nm, z step "
                    + zStep + " nm (a model PSF, not a measured one)");
        } catch (IllegalArgumentException e) {
            CommandSupport.reportError("Generate PSF (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }
}
