package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** One pass of a certified denoiser over every plane, channel and frame. */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Denoise (Lipschitz PnP)",
        label = "Denoise (Lipschitz PnP)")
public class DenoiseCommand extends DynamicCommand {

    @Parameter(label = "Image")
    ImagePlus image;

    @Parameter(label = "Model", initializer = "initModel")
    String model;

    @Parameter(label = "Model file (for 'from file...')", required = false, style = "extensions:zip")
    File modelFile;

    @Parameter(label = "Noise sigma (image units; 0 = the model's level)", min = "0")
    double sigma = 0;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    String device = "auto";

    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    Jobs.Result outcome;

    protected void initModel() {
        CommandSupport.initModelChoices(this, "model");
    }

    @Override
    public void run() {
        try {
            outcome = Jobs.denoise(CommandSupport.present(image), model, modelFile, device, sigma);
            result = outcome.image();
        } catch (IllegalArgumentException e) {
            CommandSupport.reportError("Denoise (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }
}
