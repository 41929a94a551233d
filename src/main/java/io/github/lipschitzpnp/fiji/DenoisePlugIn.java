package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;
import java.util.List;

/** ImageJ 1.x bridge of {@link DenoiseCommand}. */
public class DenoisePlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Denoise (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        List<String> models = Models.choices();
        f.choice("Model", models.toArray(new String[0]), Models.defaultChoice());
        f.string("Model_file (for 'from file...')", "");
        f.number("Sigma (noise, image units; 0 = the model's level)", 0, 4);
        f.choice("Device", DEVICES, "auto");
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        String file = f.text("Model_file (for 'from file...')");
        Jobs.Result r = Jobs.denoise(current, f.text("Model"), file.isBlank() ? null : new File(file),
                f.text("Device"), f.number("Sigma (noise, image units; 0 = the model's level)"));
        return Outcome.of(r, false, false);
    }
}
