package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.paper.ApproximationStudy;
import io.github.lipschitzpnp.paper.PaperExperiments;
import io.github.lipschitzpnp.report.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp paper}: reproduces the results of Murari, Furuya, Schoenlieb (arXiv 2505.12003). */
@Command(name = "paper", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce the approximation theory of 1-Lipschitz ResNets (arXiv 2505.12003):",
            "exact piecewise-affine representations, error against depth, constrained vs unconstrained.",
            "--quick runs a small version (about a minute); the full version writes docs/paper.md."})
public final class PaperCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--quick", description = "Small version: fewer depths and steps.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        common.device();
        PaperExperiments.Plan plan = quick ? PaperExperiments.Plan.quick() : PaperExperiments.Plan.full();
        Path dir = common.report != null ? common.report : (quick ? null : Path.of("docs"));
        Path figures = dir == null ? null : dir.resolve("figures").resolve("paper");
        if (figures != null) {
            Files.createDirectories(figures);
        }
        PaperExperiments experiments = new PaperExperiments(plan, seed);
        ProgressBar bar = new ProgressBar("paper", common.quiet);
        long t0 = System.nanoTime();
        PaperExperiments.Results r = experiments.run(figures,
                done -> bar.update(done, experiments.progressSteps(), "fits"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (PaperExperiments.Exact e : r.exact()) {
            common.say(String.format(Locale.ROOT, "exact  %-45s depth %2d  max error %.2e (double) %.2e (DJL float64)",
                    e.name(), e.depth(), e.maxErrorDouble(), e.maxErrorDjl()));
        }
        for (int i = 0; i < r.depths().length; i++) {
            common.say(String.format(Locale.ROOT, "depth %2d  test RMSE 1D %.4f  2D %.4f", r.depths()[i],
                    r.fits1d().get(i).testRmse(), r.fits2d().get(i).testRmse()));
        }
        ApproximationStudy.Fit c = r.constrained();
        ApproximationStudy.Fit u = r.unconstrained();
        common.say(String.format(Locale.ROOT, "noisy fit, depth %d: constrained certified %.4f empirical %.4f; "
                + "unconstrained empirical %.4f", c.depth(), c.certifiedBound(), c.empiricalBound(), u.empiricalBound()));
        if (dir != null) {
            Path md = dir.resolve("paper.md");
            AtomicFiles.writeString(md, markdown(r, plan, seconds));
            common.say("wrote " + md);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pwa_max_error", r.pwaMaxError());
        List<Double> depthErrors = new ArrayList<>();
        List<Double> depthErrors1d = new ArrayList<>();
        for (int i = 0; i < r.depths().length; i++) {
            depthErrors.add(r.fits2d().get(i).testRmse());
            depthErrors1d.add(r.fits1d().get(i).testRmse());
        }
        json.put("depth_errors", depthErrors);
        json.put("depth_errors_1d", depthErrors1d);
        json.put("depths", r.depths());
        json.put("certified_bound", c.certifiedBound());
        json.put("empirical_bound", c.empiricalBound());
        json.put("unconstrained_empirical_bound", u.empiricalBound());
        json.put("seconds", seconds);
        common.finish(json, System.out);
        return 0;
    }

    private static String markdown(PaperExperiments.Results r, PaperExperiments.Plan plan, double seconds) {
        StringBuilder s = new StringBuilder();
        s.append("# Reproducing the approximation theory of 1-Lipschitz ResNets\n\n");
        s.append("Murari, Furuya, Schoenlieb, *Approximation theory for 1-Lipschitz ResNets*, arXiv:2505.12003. ");
        s.append("Made by `./lpnp paper` (").append(String.format(Locale.ROOT, "%.0f", seconds))
                .append(" s on this machine); `./lpnp paper --quick --json` runs a small version.\n\n");
        s.append("Every network here is a chain of gradient-step blocks `x -> x - h W^T relu(W x + b)` with ")
                .append("`h = tau 2/||W||^2`, `tau <= 1`, and linear or affine maps of norm at most 1 ")
                .append("(see [theory.md](theory.md)).\n\n");
        s.append("## 1. Exact representation of piecewise-affine 1-Lipschitz functions\n\n");
        s.append("Weights chosen by hand (`paper.ExactRepresentations`), loaded into the project's DJL ")
                .append("`GradientStepBlock`s in float64 and evaluated on a dense grid (20,001 points in 1D, ")
                .append("201 x 201 in 2D) against the closed-form function.\n\n");
        s.append("| function | blocks | max error (double) | max error (DJL, float64) |\n|---|---|---|---|\n");
        for (PaperExperiments.Exact e : r.exact()) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %.1e | %.1e |%n", e.name().replace("|", "\\|"), e.depth(), e.maxErrorDouble(),
                    e.maxErrorDjl()));
        }
        s.append("\n");
        for (PaperExperiments.Exact e : r.exact()) {
            if (!e.name().startsWith("pyramid")) {
                s.append("![").append(e.name()).append("](figures/paper/exact-")
                        .append(PaperExperiments.slug(e.name())).append(".png)\n");
            }
        }
        s.append("\n## 2. Approximation error against depth at fixed width\n\n");
        s.append(String.format(Locale.ROOT, "Scalar networks of width %d, depths %s, trained with Adam (%d steps, "
                + "cosine schedule) on %d random points, tested on %d others. Test RMSE:%n%n", plan.width(),
                java.util.Arrays.toString(plan.depths()), plan.steps(), plan.trainPoints(), plan.testPoints()));
        s.append("| depth | wiggly 1D | distance to L-shape 2D | certified bound (2D) |\n|---|---|---|---|\n");
        for (int i = 0; i < r.depths().length; i++) {
            s.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f |%n", r.depths()[i],
                    r.fits1d().get(i).testRmse(), r.fits2d().get(i).testRmse(), r.fits2d().get(i).certifiedBound()));
        }
        s.append("\nAll networks get the same number of Adam steps, so a deeper one is not always the better "
                + "trained: the error falls with depth overall, not necessarily between every pair of depths.\n");
        s.append("\n![error against depth](figures/paper/depth-error.png)\n\n");
        s.append("## 3. Constrained against unconstrained\n\n");
        ApproximationStudy.Fit c = r.constrained();
        ApproximationStudy.Fit u = r.unconstrained();
        s.append(String.format(Locale.ROOT, "The same architecture (depth %d) fitted to %d noisy samples (noise 0.1) "
                + "of the wiggly 1D target, with and without the step-size and norm constraints. The empirical "
                + "bound is the largest of gradient ascent on ||f(x)-f(y)||/||x-y|| and the steepest difference "
                + "quotient on a 4,001-point grid.%n%n", c.depth(), plan.comparisonPoints()));
        s.append("| network | certified bound | empirical bound | test RMSE |\n|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| constrained | %.4f | %.4f | %.4f |%n", c.certifiedBound(),
                c.empiricalBound(), c.testRmse()));
        s.append(String.format(Locale.ROOT, "| unconstrained | none | %.4f | %.4f |%n", u.empiricalBound(), u.testRmse()));
        s.append("\nThe unconstrained network fits the noise with slopes above 1; the constrained one cannot.\n");
        return s.toString();
    }
}
