package io.github.lipschitzpnp.paper;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.github.lipschitzpnp.report.LinePlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The three experiments of {@code lpnp paper}: exact representation of piecewise-affine functions,
 * approximation error against depth at fixed width, and constrained against unconstrained
 * training.
 */
public final class PaperExperiments {

    /** Sizes of a run. */
    public record Plan(int[] depths, int width, int steps, int trainPoints, int testPoints, int comparisonDepth,
            int comparisonPoints, int comparisonSteps) {
        public static Plan quick() {
            return new Plan(new int[] {1, 2, 4, 8}, 16, 250, 1024, 4096, 4, 48, 400);
        }

        public static Plan full() {
            return new Plan(new int[] {1, 2, 4, 8, 16}, 16, 600, 1024, 8192, 8, 48, 1000);
        }
    }

    /** One exact representation and its error on a dense grid. */
    public record Exact(String name, int depth, double maxErrorDouble, double maxErrorDjl) {
    }

    /** Everything a run measured. */
    public record Results(List<Exact> exact, int[] depths, List<ApproximationStudy.Fit> fits1d,
            List<ApproximationStudy.Fit> fits2d, ApproximationStudy.Fit constrained,
            ApproximationStudy.Fit unconstrained) {

        public double pwaMaxError() {
            return exact.stream().mapToDouble(e -> Math.max(e.maxErrorDouble(), e.maxErrorDjl())).max().orElse(0);
        }
    }

    private final Plan plan;
    private final long seed;

    public PaperExperiments(Plan plan, long seed) {
        this.plan = plan;
        this.seed = seed;
    }

    /** The exact-representation networks with their closed-form targets. */
    static List<Object[]> exactCases() {
        double[] a = {-1, -0.5, 0.25, 0.8, 1, 0.1};
        double[] c = {-0.5, 0.2, 0.3, -0.4, -1.5, 0.0};
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {ExactRepresentations.abs(), (ToDoubleFunction<double[]>) p -> Math.abs(p[0]), 3.0});
        cases.add(new Object[] {ExactRepresentations.hat(),
            (ToDoubleFunction<double[]>) p -> Math.max(0, 1 - Math.abs(p[0])), 3.0});
        cases.add(new Object[] {ExactRepresentations.sawtooth(3),
            (ToDoubleFunction<double[]>) p -> ExactRepresentations.sawtoothTarget(p[0]), 8.0});
        cases.add(new Object[] {ExactRepresentations.maxAffine(a, c), (ToDoubleFunction<double[]>) p -> {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < a.length; i++) {
                m = Math.max(m, a[i] * p[0] + c[i]);
            }
            return m;
        }, 5.0});
        cases.add(new Object[] {ExactRepresentations.minAffine(a, c), (ToDoubleFunction<double[]>) p -> {
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i < a.length; i++) {
                m = Math.min(m, a[i] * p[0] + c[i]);
            }
            return m;
        }, 5.0});
        cases.add(new Object[] {ExactRepresentations.pyramid2d(),
            (ToDoubleFunction<double[]>) p -> Math.max(0, 1 - Math.max(Math.abs(p[0]), Math.abs(p[1]))), 2.0});
        return cases;
    }

    static double[][] grid(int dims, double half) {
        if (dims == 1) {
            int n = 20_001;
            double[][] g = new double[n][];
            for (int i = 0; i < n; i++) {
                g[i] = new double[] {-half + 2 * half * i / (n - 1)};
            }
            return g;
        }
        int n = 201;
        double[][] g = new double[n * n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] = new double[] {-half + 2 * half * i / (n - 1), -half + 2 * half * j / (n - 1)};
            }
        }
        return g;
    }

    /** Part 1: every exact network evaluated in double and in DJL (float64) on a dense grid. */
    @SuppressWarnings("unchecked")
    public List<Exact> exactRepresentations(Path figures) throws IOException {
        List<Exact> out = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Object[] cs : exactCases()) {
                AnalyticNetwork net = (AnalyticNetwork) cs[0];
                ToDoubleFunction<double[]> target = (ToDoubleFunction<double[]>) cs[1];
                double half = (Double) cs[2];
                int dims = net.layers().get(0).inputDimension();
                double[][] g = grid(dims, half);
                Block djl = AnalyticDjl.build(net, manager);
                double[] yDjl = AnalyticDjl.evaluate(djl, g, manager);
                double errD = 0;
                double errJ = 0;
                for (int i = 0; i < g.length; i++) {
                    double t = target.applyAsDouble(g[i]);
                    errD = Math.max(errD, Math.abs(net.value(g[i]) - t));
                    errJ = Math.max(errJ, Math.abs(yDjl[i] - t));
                }
                out.add(new Exact(net.name(), net.depth(), errD, errJ));
                if (figures != null && dims == 1) {
                    int step = 40;
                    int n = g.length / step + 1;
                    double[] xs = new double[n];
                    double[] ts = new double[n];
                    double[] ys = new double[n];
                    for (int k = 0; k < n; k++) {
                        int i = Math.min(k * step, g.length - 1);
                        xs[k] = g[i][0];
                        ts[k] = target.applyAsDouble(g[i]);
                        ys[k] = yDjl[i];
                    }
                    new LinePlot(net.name() + " (depth " + net.depth() + ")", "x", "f(x)")
                            .add("target", xs, ts, false).add("1-Lipschitz ResNet (DJL)", xs, ys, false)
                            .writePng(figures.resolve("exact-" + slug(net.name()) + ".png"), 560, 340);
                }
            }
        }
        return out;
    }

    public static String slug(String name) {
        String s = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    /** Runs all three parts; figures go to {@code figures} when not null. */
    public Results run(Path figures, IntConsumer progress) throws IOException {
        List<Exact> exact = exactRepresentations(figures);
        ApproximationStudy study = new ApproximationStudy(new ApproximationStudy.Settings(plan.width(), plan.steps(),
                plan.trainPoints(), plan.testPoints(), 0.01, 0, seed));
        List<ApproximationStudy.Fit> fits1d = new ArrayList<>();
        List<ApproximationStudy.Fit> fits2d = new ArrayList<>();
        int done = 0;
        for (int depth : plan.depths()) {
            fits1d.add(study.fit(Targets.WIGGLY_1D, depth, true));
            progress.accept(++done);
            fits2d.add(study.fit(Targets.DISTANCE_TO_L_2D, depth, true));
            progress.accept(++done);
        }
        ApproximationStudy noisy = new ApproximationStudy(new ApproximationStudy.Settings(plan.width(),
                plan.comparisonSteps(), plan.comparisonPoints(), plan.testPoints(), 0.01, 0.1, seed));
        ApproximationStudy.Fit constrained = noisy.fit(Targets.WIGGLY_1D, plan.comparisonDepth(), true);
        progress.accept(++done);
        ApproximationStudy.Fit unconstrained = noisy.fit(Targets.WIGGLY_1D, plan.comparisonDepth(), false);
        progress.accept(++done);
        if (figures != null) {
            double[] ds = new double[plan.depths().length];
            double[] e1 = new double[ds.length];
            double[] e2 = new double[ds.length];
            for (int i = 0; i < ds.length; i++) {
                ds[i] = plan.depths()[i];
                e1[i] = fits1d.get(i).testRmse();
                e2[i] = fits2d.get(i).testRmse();
            }
            new LinePlot("Test RMSE against depth (width " + plan.width() + ")", "depth (blocks)", "test RMSE")
                    .add(Targets.WIGGLY_1D.name(), ds, e1, true).add(Targets.DISTANCE_TO_L_2D.name(), ds, e2, true)
                    .logY().logX().writePng(figures.resolve("depth-error.png"), 640, 400);
        }
        return new Results(exact, plan.depths().clone(), fits1d, fits2d, constrained, unconstrained);
    }

    /** Number of progress steps {@link #run} reports. */
    public int progressSteps() {
        return 2 * plan.depths().length + 2;
    }
}
