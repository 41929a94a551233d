package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Parallel-beam CT from a sinogram image (x = detector bin, y = angle; every slice, channel and
 * frame is one sinogram), with FBP, the PnP methods or the classical iterative baselines.
 */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Reconstruct CT (Lipschitz PnP)",
        label = "Reconstruct CT (Lipschitz PnP)")
public class ReconstructCtCommand extends DynamicCommand {

    @Parameter(label = "Sinogram (x = detector, y = angle)")
    ImagePlus sinogram;

    // Not remembered between runs: a stale angles file with the right count would go unnoticed.
    @Parameter(label = "Angles file (degrees; empty = evenly spaced over 180)", required = false, persist = false)
    File angles;

    @Parameter(label = "Size of the reconstruction (0 = detector count)", min = "0")
    int size = 0;

    @Parameter(label = "Method", choices = {"FBP", "PnP-PGD", "PnP-ADMM", "PnP-DRS", "PnP-HQS", "RED", "TV (PDHG)",
        "Tikhonov (CG)", "SIRT", "CGLS"})
    String method = "PnP-ADMM";

    @Parameter(label = "Model", initializer = "initModel")
    String model;

    @Parameter(label = "Model file (for 'from file...')", required = false, style = "extensions:zip")
    File modelFile;

    @Parameter(label = "Iterations", min = "1", max = "10000")
    int iterations = 100;

    @Parameter(label = "Tolerance (relative residual)", min = "0")
    double tolerance = 1e-5;

    @Parameter(label = "Lambda (TV, Tikhonov, RED)", min = "0")
    double lambda = 0.01;

    @Parameter(label = "Rho (PnP-ADMM, PnP-DRS, PnP-HQS; x ||A||^2; 0 = by model)", min = "0",
            description = "0 picks 0.3 x (5/255) / the model's sigma: gauss5 0.3, gauss15 0.1, gauss25 0.06, "
                    + "gauss50 0.03, each the best on held-out CT (docs/results.md)")
    double rho = 0;

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
            Jobs.Solve solve = method.equalsIgnoreCase(Jobs.FBP) ? null
                    : new Jobs.Solve(CommandSupport.method(method), iterations, tolerance, lambda, rho, model, modelFile, device);
            outcome = Jobs.reconstructCt(CommandSupport.present(sinogram),
                    angles == null || angles.getPath().isBlank() ? null : angles, size, solve,
                    useReference ? CommandSupport.present(reference) : null);
            result = outcome.image();
            CommandSupport.showExtras(outcome, plot, useReference);
        } catch (IllegalArgumentException | IOException e) {
            CommandSupport.reportError("Reconstruct CT (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }
}
