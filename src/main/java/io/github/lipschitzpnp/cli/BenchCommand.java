package io.github.lipschitzpnp.cli;

import com.google.gson.GsonBuilder;
import io.github.lipschitzpnp.bench.BenchReport;
import io.github.lipschitzpnp.bench.Benchmarks;
import io.github.lipschitzpnp.report.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp bench}: speed and memory against PyTorch and scikit-image, measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure speed and memory against references run in the same process tree:",
            "the 1-Lipschitz ResNet in DJL vs PyTorch, one PnP iteration vs its floor, FBP and SIRT vs",
            "scikit-image, memory of a 2048^2 tiled deconvolution, scaling with image side and depth.",
            "--quick (a few minutes) measures the ratios only; the full run writes docs/benchmarks.md.",
            "The references run with /usr/bin/python3 (python3-torch, python3-skimage); a ratio is null",
            "when its reference cannot run."})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--quick", description = "Ratios only, smaller sizes (about 3 minutes on 2 cores).")
    boolean quick;

    @Option(names = "--tiny", hidden = true, description = "Seconds: a smoke test of the harness (meaningless numbers).")
    boolean tiny;


    @Option(names = "--scripts", defaultValue = "scripts", description = "Folder with bench_torch.py and bench_skimage.py (default: ${DEFAULT-VALUE}).")
    Path scripts;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for both sides (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new UserInputException("--threads must be at least 1");
        }
        // DJL reads these when the engine starts; set them before the first NDArray.
        String t = Integer.toString(threads);
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", t);
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", t);
        }
        ai.djl.Device device = common.device();
        Benchmarks.Plan plan = tiny ? Benchmarks.Plan.tiny() : quick ? Benchmarks.Plan.quick() : Benchmarks.Plan.full();
        Path dir = common.report != null ? common.report : (quick || tiny ? null : Path.of("docs"));
        Benchmarks bench = new Benchmarks(plan, device, scripts, threads, common::say);
        Benchmarks.Results r = bench.run();
        Map<String, Double> ratios = r.ratios();
        ratios.forEach((k, v) -> common.say(String.format(java.util.Locale.ROOT, "%-28s %s", k,
                v == null ? "null (reference not run)" : String.format(java.util.Locale.ROOT, "%.3f", v))));
        if (dir != null) {
            Path figures = dir.resolve("figures").resolve("bench");
            Files.createDirectories(figures);
            String[] plots = BenchReport.writePlots(r, figures, "figures/bench");
            String command = "./lpnp bench" + (quick ? " --quick" : "") + (tiny ? " --tiny" : "");
            Path md = dir.resolve("benchmarks.md");
            if (!Files.exists(md)) {
                AtomicFiles.writeString(md, "# Benchmarks\n");
            }
            // only the generated section: hand-written ones (Spark throughput) stay
            io.github.lipschitzpnp.results.DocSection.write(md, "bench", BenchReport.markdown(r, command, plots));
            common.say("wrote " + md);
        }
        if (common.json) {
            // null ratios stay in the object (the CLI's shared Gson drops null map entries)
            System.out.println(new GsonBuilder().serializeNulls().create().toJson(new LinkedHashMap<>(ratios)));
            System.out.flush();
        }
        return 0;
    }
}
