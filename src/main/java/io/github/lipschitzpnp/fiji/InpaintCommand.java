package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Fills the pixels a mask marks as missing (mask value 0; nonzero = observed). */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Inpaint (Lipschitz PnP)",
        label = "Inpaint (Lipschitz PnP)")
public class InpaintCommand extends DynamicCommand {

    @Parameter(label = "Image")
    ImagePlus image;

    @Parameter(label = "Mask (nonzero = observed)")
    ImagePlus mask;

    @Parameter(label = "Method", choices = {"PnP-PGD", "PnP-ADMM", "PnP-DRS", "PnP-HQS", "RED", "TV (PDHG)",
        "Tikhonov (CG)", "CGLS"})
    String method = "PnP-PGD";

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

    @Parameter(label = "Rho (PnP-ADMM, PnP-DRS, PnP-HQS; x ||A||^2)", min = "0")
    double rho = 1;

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
            outcome = Jobs.inpaint(CommandSupport.present(image), CommandSupport.present(mask),
                    new Jobs.Solve(CommandSupport.method(method), iterations, tolerance, lambda, rho, model, modelFile,
                            device), useReference ? CommandSupport.present(reference) : null);
            result = outcome.image();
            CommandSupport.showExtras(outcome, plot, useReference);
        } catch (IllegalArgumentException e) {
            CommandSupport.reportError("Inpaint (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }
}
