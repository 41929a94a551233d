package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.demo.RegulariserComparison;
import io.github.lipschitzpnp.model.ModelFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp compare-regularisers}: the learned regulariser against TV and PnP (docs/regulariser.md). */
@Command(name = "compare-regularisers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deconvolution (Gaussian PSF sigma 2 px, 1% noise) and sparse-view CT (60 angles, 1% noise) of",
            "held-out real images: learned regulariser vs TV vs PnP-ADMM, lambdas tuned on a separate image.",
            "Prints a Markdown table; panels and objective plots go to --out."})
public final class CompareRegularisersCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = {"-o", "--out"}, defaultValue = "out/regulariser", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--samples", description = "The sample-images folder (default: the one next to ./lpnp).")
    Path samples;

    @Option(names = "--ct-model", defaultValue = "advreg_ct", description = "CT regulariser (default ${DEFAULT-VALUE}).")
    String ctModel;

    @Option(names = "--deconvolution-model", defaultValue = "advreg_deconvolution",
            description = "Deconvolution regulariser (default ${DEFAULT-VALUE}).")
    String deconvModel;

    @Option(names = "--denoiser", defaultValue = "gauss15", description = "PnP denoiser (default ${DEFAULT-VALUE}).")
    String denoiser;

    @Option(names = "--seed", defaultValue = "1", description = "Noise seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "Small crops and few iterations (for tests).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        RegulariserComparison.Result r;
        try {
            r = new RegulariserComparison(new RegulariserComparison.Options(DemoCommand.findSamples(samples), out, ctModel,
                    deconvModel, denoiser, common.device(), seed, quick, common::say)).run();
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        common.say(r.markdown());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RegulariserComparison.Row row : r.evaluation()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", row.task());
            m.put("image", row.image());
            m.put("method", row.method());
            m.put("lambda", Double.isNaN(row.lambda()) ? null : row.lambda());
            m.put("psnr", row.psnr());
            m.put("ssim", row.ssim());
            m.put("iterations", row.iterations());
            m.put("seconds", row.seconds());
            rows.add(m);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rows", rows);
        common.finish(json, System.out);
        return 0;
    }
}
