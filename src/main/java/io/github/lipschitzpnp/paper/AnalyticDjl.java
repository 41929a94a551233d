package io.github.lipschitzpnp.paper;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.github.lipschitzpnp.nn.Activation;
import io.github.lipschitzpnp.nn.GradientStepBlock;

/**
 * Loads an {@link AnalyticNetwork} into DJL, in float64: each block becomes the project's
 * {@link GradientStepBlock} (built by {@link GradientStepBlock#analytic}), each affine map a DJL
 * {@link Linear} layer with the given weights (whose norm {@link AnalyticNetwork.Affine} checked).
 */
public final class AnalyticDjl {

    private AnalyticDjl() {
    }

    /** The network as an initialised DJL block on {@code manager}'s device. */
    public static Block build(AnalyticNetwork net, NDManager manager) {
        SequentialBlock seq = new SequentialBlock();
        for (AnalyticNetwork.Layer layer : net.layers()) {
            if (layer instanceof AnalyticNetwork.Block b) {
                seq.add(GradientStepBlock.analytic(b.w(), b.b(), b.tau(), Activation.RELU, manager));
            } else {
                AnalyticNetwork.Affine a = (AnalyticNetwork.Affine) layer;
                int out = a.a().length;
                int in = a.a()[0].length;
                double[] flat = new double[out * in];
                for (int i = 0; i < out; i++) {
                    System.arraycopy(a.a()[i], 0, flat, i * in, in);
                }
                Linear linear = Linear.builder().setUnits(out).build();
                linear.setInitializer((m, s, t) -> m.create(flat, s).toType(t, false), "weight");
                linear.setInitializer((m, s, t) -> m.create(a.c().clone(), s).toType(t, false), "bias");
                linear.initialize(manager, DataType.FLOAT64, new Shape(1, in));
                seq.add(linear);
            }
        }
        return seq;
    }

    /** Evaluates the DJL network at the given points (rows of {@code x}); returns the first output. */
    public static double[] evaluate(Block block, double[][] x, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            int d = x[0].length;
            double[] flat = new double[x.length * d];
            for (int i = 0; i < x.length; i++) {
                System.arraycopy(x[i], 0, flat, i * d, d);
            }
            NDArray in = sub.create(flat, new Shape(x.length, d));
            NDArray out = block.forward(new ParameterStore(sub, false), new NDList(in), false).singletonOrThrow();
            return out.reshape(x.length, -1).get(":, 0").toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }
}
