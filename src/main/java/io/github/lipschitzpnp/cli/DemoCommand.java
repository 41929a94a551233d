package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.demo.DemoRunner;
import io.github.lipschitzpnp.model.ModelFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp demo}: the main job. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate a blurred noisy microscopy image and a sparse-view CT sinogram from the bundled",
            "sample images, reconstruct them with classical baselines and with PnP + the bundled certified",
            "denoiser, and write TIFFs, comparison panels, convergence plots and a report to --out."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = {"-o", "--out"}, defaultValue = "out", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--model", description = "Bundled model name or .lpnp.zip file (default: gauss5).")
    String model;

    @Option(names = "--samples", description = "The sample-images folder (default: the one next to ./lpnp).")
    Path samples;

    @Option(names = "--seed", defaultValue = "1", description = "Noise seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "Smaller images and fewer iterations (for tests).")
    boolean quick;

    @Option(names = "--tune-tv", description = "Choose TV's weight on each task as the best PSNR against the ground "
            + "truth over a small grid (an oracle; by default the fixed weights chosen that way once).")
    boolean tuneTv;

    static Path findSamples(Path given) {
        List<Path> candidates = new ArrayList<>();
        if (given != null) {
            candidates.add(given);
        } else {
            String home = System.getProperty("lpnp.home");
            if (home != null) {
                candidates.add(Path.of(home, "sample-images"));
            }
            candidates.add(Path.of("sample-images"));
        }
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("eval"))) {
                return p;
            }
        }
        throw new UserInputException("sample images not found (looked in " + candidates + "): run from the "
                + "repository root or give --samples PATH/TO/sample-images");
    }

    @Override
    public Integer call() throws Exception {
        Path sampleDir = findSamples(samples);
        long t0 = System.nanoTime();
        DemoRunner.Result r;
        try {
            ProgressBar bar = new ProgressBar("demo", common.quiet);
            r = new DemoRunner(new DemoRunner.Options(sampleDir, out, model, common.device(), seed, quick,
                    common::say, (done, total) -> bar.update(done, total, "reconstructions"), tuneTv)).run();
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        common.say(String.format(java.util.Locale.ROOT, "wrote %s (%.0f s)", r.report(), seconds));
        List<Map<String, Object>> results = new ArrayList<>();
        for (DemoRunner.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", row.task());
            m.put("method", row.method());
            m.put("psnr", row.psnr());
            m.put("ssim", row.ssim());
            m.put("iterations", row.iterations());
            m.put("seconds", row.seconds());
            m.put("stop", row.stop());
            results.add(m);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("results", results);
        json.put("models", r.models());
        json.put("report", r.report().toString());
        json.put("seconds", seconds);
        common.finish(json, System.out);
        return 0;
    }
}
