package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;
import java.util.List;

/** ImageJ 1.x bridge of {@link ModelInfoCommand}: the report goes to the Log window. */
public class ModelInfoPlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Model Info & Certify (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        List<String> models = Models.choices();
        f.choice("Model", models.toArray(new String[0]), Models.defaultChoice());
        f.string("Model_file (for 'from file...')", "");
        f.choice("Device", DEVICES, "auto");
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        ModelInfoCommand c = new ModelInfoCommand();
        c.model = f.text("Model");
        String file = f.text("Model_file (for 'from file...')");
        c.modelFile = file.isBlank() ? null : new File(file);
        c.device = f.text("Device");
        c.run();
        if (c.isCanceled()) {
            throw new IllegalArgumentException(c.getCancelReason());
        }
        return new Outcome(List.of(), null, c.report, false, false);
    }
}
