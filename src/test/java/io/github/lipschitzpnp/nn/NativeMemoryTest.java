package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** Training iterations in a per-iteration sub-manager leave the long-lived manager flat. */
class NativeMemoryTest {

    @Test
    void handTrainingLoopKeepsTheParameterManagerFlatAndLearns() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(4, 1, 12, 12);
            LipschitzResNet net = LipschitzResNet.builder().image(2).width(4).depth(2).learnTau(0.95).tau(0.5)
                    .powerIterationSize(8).build();
            net.initialize(m, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(m, false);
            int[] counts = new int[8];
            double[] losses = new double[counts.length];
            NDArray clean = m.create(LipschitzResNetTest.smoothPatches(4, 12, new java.util.Random(5)), shape);
            NDArray noisy = clean.add(DjlTestSupport.gaussian(m, shape, DataType.FLOAT32, 6).mul(0.2f));
            for (int it = 0; it < counts.length; it++) {
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = noisy.duplicate();
                    x.attach(sub);
                    NDArray c = clean.duplicate();
                    c.attach(sub);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = net.forward(ps, new NDList(x), true).head().sub(c).square().mean();
                        losses[it] = loss.getFloat();
                        gc.backward(loss);
                    }
                    for (Pair<String, Parameter> p : net.getParameters()) {
                        NDArray w = p.getValue().getArray();
                        NDArray g = w.getGradient();
                        g.attach(sub);
                        w.subi(LayerKind.own(g.mul(0.05f), sub));
                        g.subi(g); // gradients accumulate: zero them (GradientCollector.zeroGradients
                        // would leave getGradient() handles in the parameters' manager)
                    }
                }
                counts[it] = m.getManagedArrays().size();
            }
            assertEquals(counts[2], counts[counts.length - 1], "arrays left in the long-lived manager per iteration");
            assertTrue(losses[losses.length - 1] < losses[0],
                    "gradient steps reduce the loss: " + java.util.Arrays.toString(losses));
        }
    }
}
