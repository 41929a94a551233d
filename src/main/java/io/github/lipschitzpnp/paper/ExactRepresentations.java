package io.github.lipschitzpnp.paper;

import io.github.lipschitzpnp.paper.AnalyticNetwork.Affine;
import io.github.lipschitzpnp.paper.AnalyticNetwork.Block;
import io.github.lipschitzpnp.paper.AnalyticNetwork.Layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * 1-Lipschitz ResNets that represent piecewise-affine 1-Lipschitz functions exactly, with weights
 * chosen by hand. Two block types do all the work:
 * <ul>
 *   <li>a <b>fold</b>: one row {@code w}, {@code tau = 1}, so {@code h = 2/||w||^2}: the half-space
 *   {@code w.z + b > 0} is reflected across the hyperplane {@code w.z + b = 0}, the rest is fixed.
 *   {@code w = -1, b = 0} in 1D gives {@code |x|}; {@code w = (1, -1)} in 2D swaps the coordinates
 *   where {@code u > v}, i.e. sorts them into {@code (min, max)};</li>
 *   <li>a <b>clip</b>: one row, {@code tau = 1/2}: {@code w = -1} in 1D gives {@code max(x, 0)}.</li>
 * </ul>
 * The maximum of affine functions uses a polyline of unit speed in the plane: the lift sends x to
 * {@code x d_0}, and each fold at a breakpoint turns the direction of the rest of the line from
 * {@code d_{j-1}} to {@code d_j = (a_j, sqrt(1 - a_j^2))}; the projection onto the first coordinate
 * then has slope {@code a_j} on piece j. Because the slopes of the upper envelope increase, the
 * angles of the {@code d_j} decrease monotonically within [0, pi], and each fold leaves the part of
 * the line before its breakpoint untouched.
 */
public final class ExactRepresentations {

    private ExactRepresentations() {
    }

    private static double[][] m(double[]... rows) {
        return rows;
    }

    private static Affine identity(int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1;
        }
        return new Affine(a, new double[n]);
    }

    private static Affine shift1d(double scale, double offset) {
        return new Affine(m(new double[] {scale}), new double[] {offset});
    }

    private static Block fold1d() {
        return new Block(m(new double[] {-1}), new double[] {0}, 1.0);
    }

    private static Block clip1d() {
        return new Block(m(new double[] {-1}), new double[] {0}, 0.5);
    }

    /** {@code |x|}: one fold. */
    public static AnalyticNetwork abs() {
        return new AnalyticNetwork("|x|", List.of(identity(1), fold1d(), identity(1)));
    }

    /** The hat {@code max(0, 1 - |x|)}: fold, affine {@code z -> 1 - z}, clip. */
    public static AnalyticNetwork hat() {
        return new AnalyticNetwork("hat max(0, 1-|x|)",
                List.of(identity(1), fold1d(), shift1d(-1, 1), clip1d(), identity(1)));
    }

    /**
     * The sawtooth (triangle wave) {@code dist(x, 2Z + 1)} with slopes +-1 and period 2 on
     * {@code [-2^levels, 2^levels]}: folds at 0, then at {@code 2^(levels-1), ..., 2, 1} after
     * shifting.
     */
    public static AnalyticNetwork sawtooth(int levels) {
        if (levels < 1 || levels > 20) {
            throw new IllegalArgumentException("levels must be in [1, 20]");
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(identity(1));
        layers.add(fold1d());
        for (int k = levels - 1; k >= 0; k--) {
            layers.add(shift1d(1, -Math.pow(2, k)));
            layers.add(fold1d());
        }
        layers.add(identity(1));
        return new AnalyticNetwork("sawtooth on [-" + (1 << levels) + ", " + (1 << levels) + "]", layers);
    }

    /** The sawtooth target, defined independently: distance from x to the odd integers. */
    public static double sawtoothTarget(double x) {
        double r = Math.abs(x - 1) % 2;
        return Math.min(r, 2 - r);
    }

    /** {@code max_i (a_i x + c_i)} for slopes {@code a_i} in [-1, 1]. */
    public static AnalyticNetwork maxAffine(double[] slopes, double[] offsets) {
        return envelope("max of " + slopes.length + " affine functions", slopes, offsets, 1);
    }

    /** {@code min_i (a_i x + c_i)} for slopes {@code a_i} in [-1, 1]: the negated max of the negations. */
    public static AnalyticNetwork minAffine(double[] slopes, double[] offsets) {
        double[] a = Arrays.stream(slopes).map(s -> -s).toArray();
        double[] c = Arrays.stream(offsets).map(s -> -s).toArray();
        return envelope("min of " + slopes.length + " affine functions", a, c, -1);
    }

    private static AnalyticNetwork envelope(String name, double[] slopes, double[] offsets, double sign) {
        if (slopes.length != offsets.length || slopes.length == 0) {
            throw new IllegalArgumentException("need as many offsets as slopes, at least one");
        }
        for (double a : slopes) {
            if (!(Math.abs(a) <= 1)) {
                throw new IllegalArgumentException("slope " + a + " is outside [-1, 1]: not 1-Lipschitz");
            }
        }
        // Upper envelope: lines sorted by slope (ties: keep the highest offset), convex-hull trick.
        Integer[] order = new Integer[slopes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> slopes[i]).thenComparingDouble(i -> offsets[i]));
        List<double[]> hull = new ArrayList<>();
        for (int idx : order) {
            double[] line = {slopes[idx], offsets[idx]};
            if (!hull.isEmpty() && hull.get(hull.size() - 1)[0] == line[0]) {
                hull.remove(hull.size() - 1);
            }
            while (hull.size() >= 2 && redundant(hull.get(hull.size() - 2), hull.get(hull.size() - 1), line)) {
                hull.remove(hull.size() - 1);
            }
            hull.add(line);
        }
        List<Layer> layers = new ArrayList<>();
        double[] d0 = direction(hull.get(0)[0]);
        layers.add(new Affine(m(new double[] {d0[0]}, new double[] {d0[1]}), new double[2]));
        double[] p = {0, 0};
        double t = 0;
        double[] d = d0;
        for (int j = 1; j < hull.size(); j++) {
            double[] prev = hull.get(j - 1);
            double[] next = hull.get(j);
            double tj = (prev[1] - next[1]) / (next[0] - prev[0]);
            double[] pj = {p[0] + (tj - t) * d[0], p[1] + (tj - t) * d[1]};
            double[] dj = direction(next[0]);
            double[] n = {d[0] - dj[0], d[1] - dj[1]};
            double len = Math.hypot(n[0], n[1]);
            n[0] /= len;
            n[1] /= len;
            layers.add(new Block(m(n), new double[] {-(n[0] * pj[0] + n[1] * pj[1])}, 1.0));
            p = pj;
            t = tj;
            d = dj;
        }
        layers.add(new Affine(m(new double[] {sign, 0}), new double[] {sign * hull.get(0)[1]}));
        return new AnalyticNetwork(name, layers);
    }

    private static double[] direction(double slope) {
        return new double[] {slope, Math.sqrt(Math.max(0, 1 - slope * slope))};
    }

    /** Whether the middle line never attains the upper envelope of three lines sorted by slope. */
    private static boolean redundant(double[] l1, double[] l2, double[] l3) {
        // l2 is redundant when the intersection of l1 and l3 lies on or above l2.
        double x13 = (l1[1] - l3[1]) / (l3[0] - l1[0]);
        return l1[0] * x13 + l1[1] >= l2[0] * x13 + l2[1];
    }

    /**
     * The 2D pyramid {@code max(0, 1 - max(|x|, |y|))}: fold each coordinate, sort the pair into
     * (min, max) with a fold across the diagonal, map to (min, 1 - max), clip, project.
     */
    public static AnalyticNetwork pyramid2d() {
        return new AnalyticNetwork("pyramid max(0, 1 - max(|x|,|y|))", List.of(
                identity(2),
                new Block(m(new double[] {-1, 0}), new double[] {0}, 1.0),
                new Block(m(new double[] {0, -1}), new double[] {0}, 1.0),
                new Block(m(new double[] {1, -1}), new double[] {0}, 1.0),
                new Affine(m(new double[] {1, 0}, new double[] {0, -1}), new double[] {0, 1}),
                new Block(m(new double[] {0, -1}), new double[] {0}, 0.5),
                new Affine(m(new double[] {0, 1}), new double[] {0})));
    }
}
