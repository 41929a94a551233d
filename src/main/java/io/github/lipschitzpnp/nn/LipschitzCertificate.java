package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The Lipschitz certificate of a frozen {@link LipschitzResNet}: the certified upper bound (the
 * product of per-layer certified bounds: {@code max(1, |1 - h sigma_upper^2|)} for a block,
 * {@code sigma_upper} for a linear map, 1 for the pooling) and an empirical lower bound found by
 * gradient ascent on {@code ||f(x) - f(y)|| / ||x - y||}.
 *
 * @param certifiedBound       rigorous upper bound on the network's Lipschitz constant
 * @param empiricalLowerBound  largest ratio found (a true lower bound, up to float rounding)
 * @param layers               per-layer details, in order
 */
public record LipschitzCertificate(double certifiedBound, double empiricalLowerBound, List<LayerBound> layers) {

    /** Default frequency grid side for 2D convolutions. */
    public static final int DEFAULT_GRID_2D = 64;

    /** Default frequency grid side for 3D convolutions. */
    public static final int DEFAULT_GRID_3D = 48;

    /**
     * One layer's certificate.
     *
     * @param name                what the layer is
     * @param sigmaPowerIteration power-iteration estimate of its weight norm (lower-bound type)
     * @param sigmaUpper          rigorous upper bound of its weight norm
     * @param h                   frozen step size (blocks; NaN otherwise)
     * @param bound               the layer's certified Lipschitz bound
     */
    public record LayerBound(String name, double sigmaPowerIteration, double sigmaUpper, double h, double bound) {
    }

    /**
     * {@link #certify(LipschitzResNet, Shape, int, NDManager, long)} with the default grid
     * ({@link #DEFAULT_GRID_2D} or {@link #DEFAULT_GRID_3D}; unused for dense networks).
     */
    public static LipschitzCertificate certify(LipschitzResNet net, Shape inputShape, NDManager manager, long seed) {
        int grid = net.spatialDims() == 3 ? DEFAULT_GRID_3D : DEFAULT_GRID_2D;
        return certify(net, inputShape, grid, manager, seed);
    }

    /**
     * Freezes {@code net} with a frequency grid of side {@code gridSize}, multiplies the layer
     * bounds and runs the empirical search on inputs of shape {@code inputShape} (batch 1).
     */
    public static LipschitzCertificate certify(LipschitzResNet net, Shape inputShape, int gridSize,
            NDManager manager, long seed) {
        net.freeze(gridSize);
        List<LayerBound> bounds = new ArrayList<>();
        double product = 1.0;
        for (LipschitzLayer l : net.layers()) {
            LayerBound b = l.layerBound();
            bounds.add(b);
            product *= b.bound();
        }
        if (net.hasIdentityMix()) {
            double a = net.mixWeight();
            product = (1 - a) + a * product;
            bounds.add(new LayerBound("identity mix a=" + a, Double.NaN, Double.NaN, Double.NaN, product));
        }
        double empirical = empiricalLowerBound(net, inputShape, manager, 4, 30, seed);
        return new LipschitzCertificate(product, empirical, List.copyOf(bounds));
    }

    /**
     * Largest {@code ||f(x) - f(y)|| / ||x - y||} found by normalised gradient ascent (DJL
     * autograd, inference mode) from {@code pairs} random pairs and {@code pairs} small-perturbation
     * pairs, {@code steps} steps each. {@code inputShape} is one sample's shape with batch 1.
     */
    public static double empiricalLowerBound(Block f, Shape inputShape, NDManager manager, int pairs, int steps,
            long seed) {
        long[] dims = inputShape.getShape().clone();
        dims[0] = 2L * pairs;
        Shape batch = new Shape(dims);
        DataType type = DataType.FLOAT32;
        Random rnd = new Random(seed);
        double best = 0;
        try (NDManager pm = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(pm, false);
            int n = (int) batch.size();
            float[] xs = new float[n];
            float[] ys = new float[n];
            int per = n / (2 * pairs);
            for (int j = 0; j < n; j++) {
                xs[j] = (float) rnd.nextGaussian();
                boolean small = j / per >= pairs;
                ys[j] = small ? xs[j] + 0.01f * (float) rnd.nextGaussian() : (float) rnd.nextGaussian();
            }
            NDArray x = pm.create(xs, batch);
            NDArray y = pm.create(ys, batch);
            double eta = 0.3;
            for (int it = 0; it <= steps; it++) {
                try (NDManager sub = pm.newSubManager()) {
                    NDArray xi = x.duplicate();
                    NDArray yi = y.duplicate();
                    xi.attach(sub);
                    yi.attach(sub);
                    double[] ratios;
                    NDArray gx;
                    NDArray gy;
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        xi.setRequiresGradient(true);
                        yi.setRequiresGradient(true);
                        NDArray fx = f.forward(ps, new NDList(xi), false).head();
                        NDArray fy = f.forward(ps, new NDList(yi), false).head();
                        NDArray num = fx.sub(fy).reshape(2L * pairs, -1).square().sum(new int[] {1});
                        NDArray den = xi.sub(yi).reshape(2L * pairs, -1).square().sum(new int[] {1});
                        NDArray logRatio = num.add(LayerKind.constant(1e-30, num, sub)).log().sub(den.log());
                        ratios = logRatio.toType(DataType.FLOAT64, false).toDoubleArray();
                        if (it < steps) {
                            gc.backward(logRatio.sum());
                        }
                        gx = it < steps ? LayerKind.own(xi.getGradient(), sub) : null;
                        gy = it < steps ? LayerKind.own(yi.getGradient(), sub) : null;
                    }
                    for (double r : ratios) {
                        if (Double.isFinite(r)) {
                            best = Math.max(best, Math.exp(0.5 * r));
                        }
                    }
                    if (it == steps) {
                        break;
                    }
                    // per-pair normalised step of length eta * ||x - y||
                    NDArray g2 = gx.reshape(2L * pairs, -1).square().sum(new int[] {1})
                            .add(gy.reshape(2L * pairs, -1).square().sum(new int[] {1})).sqrt().add(1e-30f);
                    NDArray dist = xi.stopGradient().sub(yi.stopGradient()).reshape(2L * pairs, -1).norm(new int[] {1});
                    long[] bshape = new long[dims.length];
                    java.util.Arrays.fill(bshape, 1);
                    bshape[0] = 2L * pairs;
                    NDArray scale = dist.div(g2).mul(eta).reshape(new Shape(bshape));
                    NDArray nx = xi.stopGradient().add(gx.mul(scale));
                    NDArray ny = yi.stopGradient().add(gy.mul(scale));
                    nx.attach(pm);
                    ny.attach(pm);
                    x.close();
                    y.close();
                    x = nx;
                    y = ny;
                    eta *= 0.95;
                }
            }
        }
        return best;
    }
}
