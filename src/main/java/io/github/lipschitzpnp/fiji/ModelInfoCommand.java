package io.github.lipschitzpnp.fiji;

import ij.measure.ResultsTable;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.Locale;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Opens a model, which recomputes its Lipschitz certificate from the weights (a model whose bound
 * exceeds 1 is refused), and reports what it is, what it was trained for and the certificate.
 */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Model Info & Certify (Lipschitz PnP)",
        label = "Model Info & Certify (Lipschitz PnP)")
public class ModelInfoCommand extends DynamicCommand {

    @Parameter(label = "Model", initializer = "initModel")
    String model;

    @Parameter(label = "Model file (for 'from file...')", required = false, style = "extensions:zip")
    File modelFile;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    String device = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Model report")
    String report;

    @Parameter(type = ItemIO.OUTPUT, label = "Certified Lipschitz bound")
    double certifiedBound = Double.NaN;

    ResultsTable table;

    protected void initModel() {
        CommandSupport.initModelChoices(this, "model");
    }

    @Override
    public void run() {
        try (DenoiserModel m = Models.open(model, modelFile, device)) {
            ModelSpec s = m.spec();
            ModelSpec.Architecture a = s.architecture();
            certifiedBound = m.certificate().certifiedBound();
            table = new ResultsTable();
            add("name", s.name());
            add("kind", s.kind());
            add("architecture", String.format(Locale.ROOT, "%dD, %d channel(s), width %d, hidden %d, depth %d, "
                    + "kernel %d, %s, tau %.3g", a.spatialDims(), a.inChannels(), a.width(), a.hidden(), a.depth(),
                    a.kernel(), a.activation(), a.tau()));
            add("parameters", Long.toString(m.parameterCount()));
            add("noise", String.format(Locale.ROOT, "%s, sigma %.4g (range %.4g..%.4g)", s.noise().model(),
                    s.noise().sigma(), s.noise().sigmaMin(), s.noise().sigmaMax()));
            add("certified bound (recomputed)", String.format(Locale.ROOT, "%.6f", certifiedBound));
            add("empirical lower bound", String.format(Locale.ROOT, "%.6f", m.certificate().empiricalLowerBound()));
            if (s.certificate() != null) {
                add("certified bound (stored)", String.format(Locale.ROOT, "%.6f", s.certificate().certifiedBound()));
            }
            if (s.validation() != null) {
                s.validation().forEach((k, v) -> add("validation " + k, String.format(Locale.ROOT, "%.4g", v)));
            }
            add("verdict", String.format(Locale.ROOT, "certified: the denoiser can never amplify differences between "
                    + "images (bound %.4f <= 1), so PnP iterations with it cannot blow up", certifiedBound));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < table.size(); i++) {
                sb.append(table.getStringValue("Field", i)).append(": ").append(table.getStringValue("Value", i))
                        .append('\n');
            }
            report = sb.toString().strip();
            if (!GraphicsEnvironment.isHeadless()) {
                table.show("Lipschitz PnP model " + s.name());
            }
        } catch (ModelFileException | IllegalArgumentException e) {
            CommandSupport.reportError("Model Info & Certify (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        }
    }

    private void add(String field, String value) {
        table.incrementCounter();
        table.addValue("Field", field);
        table.addValue("Value", value);
    }
}
