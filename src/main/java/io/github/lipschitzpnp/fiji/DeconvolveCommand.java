package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Optics;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Deconvolution of a 2D image or z-stack (3D PSF), channel by channel and frame by frame, with a
 * PSF image or one generated from the optics and the image's calibration.
 */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Deconvolve (Lipschitz PnP)",
        label = "Deconvolve (Lipschitz PnP)")
public class DeconvolveCommand extends DynamicCommand {

    @Parameter(label = "Image")
    ImagePlus image;

    @Parameter(label = "PSF source", choices = {CommandSupport.PSF_BORN_WOLF, CommandSupport.PSF_GAUSSIAN,
        CommandSupport.PSF_IMAGE})
    String psfSource = CommandSupport.PSF_BORN_WOLF;

    @Parameter(label = "PSF image (for 'PSF image')", required = false)
    ImagePlus psf;

    @Parameter(label = "Numerical aperture", min = "0.01", max = "1.7", stepSize = "0.05")
    double na = 1.4;

    @Parameter(label = "Emission wavelength (nm)", min = "100", max = "2000")
    double wavelength = 520;

    @Parameter(label = "Refractive index (immersion)", min = "1", max = "2")
    double refractiveIndex = 1.518;

    @Parameter(label = "Method", choices = {"PnP-PGD", "PnP-ADMM", "PnP-DRS", "PnP-HQS", "RED", "TV (PDHG)",
        "Tikhonov (CG)", "Richardson-Lucy", "Wiener", "SIRT", "CGLS"})
    String method = "PnP-ADMM";

    @Parameter(label = "Model", initializer = "initModel")
    String model;

    @Parameter(label = "Model file (for 'from file...')", required = false, style = "extensions:zip")
    File modelFile;

    @Parameter(label = "Iterations", min = "1", max = "10000")
    int iterations = 50;

    @Parameter(label = "Tolerance (relative residual)", min = "0")
    double tolerance = 1e-5;

    @Parameter(label = "Lambda (TV, Tikhonov, RED; Wiener's noise-to-signal ratio)", min = "0")
    double lambda = 0.01;

    @Parameter(label = "Rho (PnP-ADMM, PnP-DRS, PnP-HQS; x ||A||^2)", min = "0")
    double rho = 1;

    @Parameter(label = "Boundary", choices = {"REFLECTIVE", "PERIODIC", "ZERO"})
    String boundary = "REFLECTIVE";

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    String device = "auto";

    @Parameter(label = "Use a reference image (PSNR/SSIM)")
    boolean useReference = false;

    @Parameter(label = "Reference image", required = false)
    ImagePlus reference;

    @Parameter(label = "Show convergence plot")
    boolean plot = false;

    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    Jobs.Result outcome;

    protected void initModel() {
        CommandSupport.initSolverModelChoices(this, "model");
    }

    @Override
    public void run() {
        try {
            Optics optics = psfSource.equals(CommandSupport.PSF_IMAGE) ? null
                    : new Optics(psfSource.equals(CommandSupport.PSF_GAUSSIAN) ? Optics.Model.GAUSSIAN
                            : Optics.Model.BORN_WOLF, na, wavelength, refractiveIndex);
            if (optics == null && CommandSupport.present(psf) == null) {
                throw new IllegalArgumentException("PSF source is 'PSF image' but no PSF image was chosen");
            }
            outcome = Jobs.deconvolve(CommandSupport.present(image), optics == null ? psf : null, optics, Boundary.valueOf(boundary),
                    new Jobs.Solve(CommandSupport.method(method), iterations, tolerance, lambda, rho, model, modelFile,
                            device), useReference ? CommandSupport.present(reference) : null);
            result = outcome.image();
            CommandSupport.showExtras(outcome, plot, useReference);
        } catch (IllegalArgumentException e) {
            CommandSupport.reportError("Deconvolve (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }
}
