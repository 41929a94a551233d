package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;
import java.util.List;

/** ImageJ 1.x bridge of {@link TrainDenoiserCommand}: trains on the planes of the active image or a folder. */
public class TrainDenoiserPlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Train Denoiser (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        f.message("Training images: the planes of " + (current == null ? "(no image open)" : current.getTitle())
                + ", or a folder");
        f.string("Folder (of 2D images; empty = the active image)", "");
        f.string("Output (model file to write, .lpnp.zip)", "");
        f.number("Sigma (noise, [0, 1] scale)", 0.05, 3);
        f.number("Width (channels)", 16, 0);
        f.number("Depth (blocks)", 4, 0);
        f.number("Patch (size)", 32, 0);
        f.number("Batch (size)", 8, 0);
        f.number("Steps", 500, 0);
        f.number("Learning (rate)", 1e-3, 5);
        f.number("Seed", 1, 0);
        f.number("Contrast (smallest random factor; 1 = off)", 0.25, 2);
        f.choice("Activation", new String[] {TrainDenoiserCommand.ACTIVATION_SHRINK,
            TrainDenoiserCommand.ACTIVATION_RELU}, TrainDenoiserCommand.ACTIVATION_SHRINK);
        f.checkbox("Resume from the checkpoint", false);
        f.choice("Device", DEVICES, "auto");
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        TrainDenoiserCommand c = new TrainDenoiserCommand();
        String folder = f.text("Folder (of 2D images; empty = the active image)");
        c.folder = folder.isBlank() ? null : new File(folder);
        c.images = current;
        String out = f.text("Output (model file to write, .lpnp.zip)");
        if (out.isBlank()) {
            throw new IllegalArgumentException("give the model file to write (output=...)");
        }
        c.output = new File(out);
        c.sigma = f.number("Sigma (noise, [0, 1] scale)");
        c.width = f.integer("Width (channels)");
        c.depth = f.integer("Depth (blocks)");
        c.patch = f.integer("Patch (size)");
        c.batch = f.integer("Batch (size)");
        c.steps = f.integer("Steps");
        c.learningRate = f.number("Learning (rate)");
        c.seed = f.integer("Seed");
        c.contrast = f.number("Contrast (smallest random factor; 1 = off)");
        c.activation = f.text("Activation");
        c.resume = f.flag("Resume from the checkpoint");
        c.device = f.text("Device");
        c.run();
        if (c.isCanceled()) {
            throw new IllegalArgumentException(c.getCancelReason());
        }
        return new Outcome(List.of(), null, c.report, false, false);
    }
}
