package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.baseline.UnconstrainedDenoiser;
import io.github.lipschitzpnp.demo.RegulariserComparison;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.results.DenoisingComparison;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import io.github.lipschitzpnp.results.DocSection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp results}: regenerates the tables of the docs from the bundled models and sample images. */
@Command(name = "results", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the experiments behind the docs' tables and rewrite their generated sections.",
            "  denoising: docs/models.md, the bundled Gaussian models against Gaussian, median, TV and an",
            "             unconstrained DnCNN trained the same way (about 20 min on 2 cores the first time;",
            "             trained baselines are cached in --cache).",
            "  reconstruction: docs/results.md, deconvolution and sparse-view CT of held-out images, tuned",
            "             classical baselines against PnP with the bundled models and with the unconstrained",
            "             DnCNN (trained for --unconstrained-model, cached).",
            "  regulariser: docs/regulariser.md, the bundled learned regularisers against TV and PnP-ADMM",
            "             on held-out images, weights tuned on separate images (about 10 min)."})
public final class ResultsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", arity = "0..1", defaultValue = "denoising", description = "Which experiment: denoising, reconstruction or regulariser.")
    String which;

    @Option(names = "--docs", defaultValue = "docs", description = "The docs folder to update (default ${DEFAULT-VALUE}).")
    Path docs;

    @Option(names = "--samples", description = "The sample-images folder (default: the one next to ./lpnp).")
    Path samples;

    @Option(names = "--cache", defaultValue = "target/results-cache",
            description = "Folder for trained baselines (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--dncnn", split = ",", description = "Train DnCNN baselines only for these models "
            + "(default: every model of the comparison), e.g. --dncnn gauss25.")
    List<String> dncnn;

    @Option(names = "--models", split = ",", description = "Denoising: compare these models (bundled names or "
            + ".lpnp.zip files) instead of the bundled Gaussian ones, e.g. a model you trained; each at its own "
            + "noise level. Combine with --docs pointing at a copy of docs to keep the shipped tables.")
    List<String> models;

    @Option(names = "--unconstrained-model", defaultValue = "gauss25",
            description = "Reconstruction: PnP also runs with the DnCNN matched to this model (default ${DEFAULT-VALUE}).")
    String unconstrainedModel;

    @Option(names = "--quick", description = "Tiny crops, one noise level, 1%% of the training steps (for tests).")
    boolean quick;

    /**
     * The learned regularisers (bundled advreg_ct, advreg_deconvolution) against TV and PnP-ADMM with
     * gauss15: the table of docs/regulariser.md, its panels and objective plot in docs/figures.
     */
    private int regulariser(Path sampleDir) throws Exception {
        long t0 = System.nanoTime();
        RegulariserComparison.Result r;
        try {
            r = new RegulariserComparison(new RegulariserComparison.Options(sampleDir, docs.resolve("figures"),
                    "advreg_ct", "advreg_deconvolution", "gauss15", common.device(), 1, quick, common::say)).run();
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        DocSection.write(docs.resolve("regulariser.md"), "regulariser", r.markdown()
                + "\n![deconvolution](figures/regulariser-deconvolution-panel.png)\n\n![CT](figures/regulariser-ct-panel.png)"
                + "\n\n![objective](figures/regulariser-ct-objective.png)\n");
        common.say("updated " + docs.resolve("regulariser.md"));
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (RegulariserComparison.Row row : r.evaluation()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", row.task());
            m.put("image", row.image());
            m.put("method", row.method());
            m.put("lambda", Double.isNaN(row.lambda()) ? null : row.lambda());
            m.put("psnr", row.psnr());
            m.put("ssim", row.ssim());
            m.put("iterations", row.iterations());
            rows.add(m);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", which);
        json.put("rows", rows);
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        common.finish(json, System.out);
        return 0;
    }

    private int reconstruction(Path sampleDir, DenoisingComparison.Plan denoisingPlan) throws Exception {
        long t0 = System.nanoTime();
        ReconstructionComparison.Plan plan = quick ? ReconstructionComparison.Plan.quick(sampleDir)
                : ReconstructionComparison.Plan.full(sampleDir);
        ReconstructionComparison.Result r;
        try (UnconstrainedDenoiser dn = new DenoisingComparison(denoisingPlan, common::say).baseline(unconstrainedModel);
                DenoiserModel matched = BundledModels.load(unconstrainedModel, ai.djl.Device.cpu())) {
            r = new ReconstructionComparison(plan, common::say, dn, matched.noiseSigma()).run();
        } catch (ModelFileException e) {
            throw new UserInputException("--unconstrained-model: " + e.getMessage(), e);
        }
        Map<String, String> figures = ReconstructionComparison.writeFigures(r, docs, "figures/results");
        DocSection.write(docs.resolve("results.md"), "reconstruction", ReconstructionComparison.markdown(r, figures));
        common.say("updated " + docs.resolve("results.md"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", which);
        List<Map<String, Object>> tasks = new java.util.ArrayList<>();
        for (ReconstructionComparison.Task t : r.tasks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", t.name());
            for (ReconstructionComparison.Row row : t.rows()) {
                m.put(key(row.method()), row.psnr());
                m.put(key(row.method()) + "_per_image", row.perImagePsnr());
            }
            tasks.add(m);
        }
        json.put("tasks", tasks);
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        common.finish(json, System.out);
        return 0;
    }

    private static String key(String method) {
        return method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("denoising", "reconstruction", "regulariser").contains(which)) {
            throw new UserInputException("unknown experiment '" + which + "': choose denoising, reconstruction or "
                    + "regulariser");
        }
        Path sampleDir = DemoCommand.findSamples(samples);
        if ("regulariser".equals(which)) {
            return regulariser(sampleDir);
        }
        DenoisingComparison.Plan plan = quick ? DenoisingComparison.Plan.quick(sampleDir, cache)
                : DenoisingComparison.Plan.full(sampleDir, cache);
        if (models != null) {
            plan = plan.withModels(models);
        }
        if (dncnn != null) {
            try {
                plan = plan.withDnCnnFor(dncnn);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--dncnn: " + e.getMessage());
            }
        }
        if ("reconstruction".equals(which)) {
            return reconstruction(sampleDir, plan);
        }
        long t0 = System.nanoTime();
        DenoisingComparison.Result r = new DenoisingComparison(plan, common::say).run();
        String figure = "figures/models/denoising_training_curves.png";
        DenoisingComparison.writeCurves(r, docs.resolve(figure));
        int example = Math.min(1, r.imageNames().size() - 1);
        StringBuilder panels = new StringBuilder("\nHeld-out examples (" + r.imageNames().get(example)
                + "; each method at its chosen setting, PSNR on this image):\n");
        for (String f : DenoisingComparison.writePanels(r, example, docs.resolve("figures/models"))) {
            panels.append("\n![").append(f.replace(".png", "")).append("](figures/models/").append(f).append(")\n");
        }
        DocSection.write(docs.resolve("models.md"), "denoising", DenoisingComparison.markdown(r, figure) + panels);
        common.say("updated " + docs.resolve("models.md") + " and " + docs.resolve(figure));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", which);
        List<Map<String, Object>> levels = new java.util.ArrayList<>();
        for (DenoisingComparison.Level l : r.levels()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", l.model());
            m.put("sigma", l.sigma());
            for (DenoisingComparison.Row row : l.rows()) {
                m.put(key(row.method()), row.psnr());
                m.put(key(row.method()) + "_per_image", row.perImagePsnr());
            }
            levels.add(m);
        }
        json.put("levels", levels);
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        common.finish(json, System.out);
        return 0;
    }
}
