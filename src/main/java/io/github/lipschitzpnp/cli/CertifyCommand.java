package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.nn.LipschitzCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp certify}: validates a model file and recomputes its Lipschitz certificate. */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a model (a .lpnp.zip file or a bundled model's name), check it and recompute its",
            "certificate: a certified upper bound on its Lipschitz constant and an empirical lower bound.",
            "A model whose certified bound exceeds 1.001 is refused (exit code 2)."})
public final class CertifyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Model file or bundled model name.")
    String model;

    @Option(names = "--list", description = "List the bundled models with their certified bounds.")
    boolean list;

    @Override
    public Integer call() {
        if (list) {
            List<Map<String, Object>> models = new ArrayList<>();
            for (String name : BundledModels.allNames()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", name);
                try {
                    ModelArchive a = BundledModels.archive(name);
                    m.put("certified_bound", a.spec().certificate() == null ? null : a.spec().certificate().certifiedBound());
                    m.put("noise_sigma", a.spec().noise().sigma());
                    m.put("noise_model", a.spec().noise().model());
                    m.put("kind", a.spec().kind());
                    if (a.spec().isRegularizer()) {
                        m.put("task", a.spec().task());
                    }
                    common.say(String.format(Locale.ROOT, "%-24s %-11s %s%s sigma %.4f  certified %.6f (recomputed on load)",
                            name, a.spec().kind(), a.spec().isRegularizer() ? "for " + a.spec().task() + ", data noise "
                                    : "", a.spec().noise().model(), a.spec().noise().sigma(),
                            a.spec().certificate() == null ? Double.NaN : a.spec().certificate().certifiedBound()));
                } catch (ModelFileException e) {
                    throw new UserInputException(e.getMessage(), e);
                }
                models.add(m);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("models", models);
            common.finish(json, System.out);
            return 0;
        }
        if (model == null) {
            throw new UserInputException("give a model file or a bundled model name, or --list to see them");
        }
        if (isRegulariser(model)) {
            return certifyRegulariser();
        }
        try (DenoiserModel m = BundledModels.load(model, common.device())) {
            LipschitzCertificate c = m.certificate();
            common.say(String.format(Locale.ROOT, "model %s (%s, trained for %s sigma %.4f): certified bound %.6f, "
                    + "empirical lower bound %.4f, %d parameters", model, m.spec().name(), m.spec().noise().model(),
                    m.noiseSigma(), c.certifiedBound(), c.empiricalLowerBound(), m.parameterCount()));
            sayLayers(c);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("certified_bound", c.certifiedBound());
            json.put("empirical_bound", c.empiricalLowerBound());
            json.put("noise_sigma", m.noiseSigma());
            json.put("parameters", m.parameterCount());
            common.finish(json, System.out);
            return 0;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /** One line per layer: its power-iteration and rigorous norms, step size and bound. */
    private void sayLayers(LipschitzCertificate c) {
        for (LipschitzCertificate.LayerBound b : c.layers()) {
            common.say(String.format(Locale.ROOT, "  %-28s sigma_PI %.5f  sigma_upper %.5f  h %.5f  bound %.6f",
                    b.name(), b.sigmaPowerIteration(), b.sigmaUpper(), b.h(), b.bound()));
        }
    }

    private static boolean isRegulariser(String nameOrPath) {
        if (BundledModels.allNames().contains(nameOrPath)) {
            return io.github.lipschitzpnp.model.ModelSpec.KIND_REGULARIZER.equals(BundledModels.kind(nameOrPath));
        }
        java.nio.file.Path p = java.nio.file.Path.of(nameOrPath);
        if (!java.nio.file.Files.isRegularFile(p)) {
            return false;
        }
        try {
            return ModelArchive.read(p).spec().isRegularizer();
        } catch (ModelFileException e) {
            return false; // the denoiser path reports the problem
        }
    }

    private Integer certifyRegulariser() {
        try (io.github.lipschitzpnp.model.RegulariserModel m = BundledModels.loadRegulariser(model, common.device())) {
            LipschitzCertificate c = m.certificate();
            common.say(String.format(Locale.ROOT, "model %s (%s, learned regulariser for %s): certified bound %.6f, "
                    + "empirical lower bound %.4f, %d parameters", model, m.spec().name(), m.task(),
                    c.certifiedBound(), c.empiricalLowerBound(), m.parameterCount()));
            sayLayers(c);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", m.spec().kind());
            json.put("task", m.task());
            json.putAll(m.certificateSummary());
            common.finish(json, System.out);
            return 0;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
