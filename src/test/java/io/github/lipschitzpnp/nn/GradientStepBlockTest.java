package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class GradientStepBlockTest {

    @org.junit.jupiter.api.BeforeEach
    void seed() {
        ai.djl.engine.Engine.getInstance().setRandomSeed(1234);
    }

    private static double[] run(GradientStepBlock b, NDManager m, double[] x, Shape s) {
        NDArray in = m.create(x, s);
        return b.forward(new ParameterStore(m, false), new NDList(in), false).head().toDoubleArray();
    }

    @Test
    void analyticAbsoluteValueIsExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            GradientStepBlock abs = GradientStepBlock.analytic(new double[][] {{-1}}, new double[] {0}, 1.0, m);
            assertEquals(2.0, abs.h());
            double[] x = {-3.5, -1e-7, 0, 2.25, 1e300, -7e-300};
            double[] y = run(abs, m, x, new Shape(x.length, 1));
            for (int j = 0; j < x.length; j++) {
                assertEquals(Math.abs(x[j]), y[j], 0.0, "|" + x[j] + "|");
            }
            assertTrue(abs.layerBound().bound() <= 1 + 1e-6);
        }
    }

    @Test
    void analyticSortingOfTwoNumbers() {
        try (NDManager m = NDManager.newBaseManager()) {
            // ||W||^2 = 2, tau = 1 gives h = 1: (x1, x2) -> (min, max)
            GradientStepBlock sort = GradientStepBlock.analytic(new double[][] {{1, -1}}, new double[] {0}, 1.0,
                    Activation.RELU, m);
            assertEquals(1.0, sort.h(), 1e-15);
            double[] y = run(sort, m, new double[] {3, -1, -2, 5}, new Shape(2, 2));
            assertArrayEquals(new double[] {-1, 3, -2, 5}, y, 1e-15);
        }
    }

    private static GradientStepBlock block(LayerKind kind, int width, int hidden, double tau, Activation act) {
        return GradientStepBlock.builder().kind(kind).width(width).hiddenWidth(hidden).kernelSize(3)
                .tau(tau).activation(act).powerIterationSize(8).build();
    }

    private void nonExpansive(LayerKind kind, Shape shape, int grid) {
        nonExpansive(kind, shape, grid, Activation.RELU);
    }

    private void nonExpansive(LayerKind kind, Shape shape, int grid, Activation act) {
        try (NDManager m = NDManager.newBaseManager()) {
            GradientStepBlock b = block(kind, (int) shape.get(1), 6, 1.0, act);
            b.setInitializer((mm, s, t) -> mm.randomNormal(0f, 0.3f, s, t), ai.djl.nn.Parameter.Type.BIAS);
            b.initialize(m, DataType.FLOAT32, shape);
            // a few training forwards move the power iteration
            ParameterStore ps = new ParameterStore(m, false);
            for (int it = 0; it < 3; it++) {
                try (NDManager sub = m.newSubManager()) {
                    b.forward(ps, new NDList(DjlTestSupport.gaussian(sub, shape, DataType.FLOAT32, it)), true);
                }
            }
            b.freeze(grid);
            LipschitzCertificate.LayerBound lb = b.layerBound();
            // sigma_PI is evaluated in float32: allow its rounding
            assertTrue(lb.sigmaUpper() >= lb.sigmaPowerIteration() * (1 - 1e-5), lb.toString());
            assertTrue(lb.bound() <= 1 + 1e-3, "certified " + lb);
            assertTrue(lb.h() <= 2.0 / (lb.sigmaUpper() * lb.sigmaUpper()) * (1 + 1e-12), "frozen h " + lb);
            assertTrue(lb.h() <= 2.0 / (lb.sigmaPowerIteration() * lb.sigmaPowerIteration()) * (1 + 1e-12), "frozen h " + lb);
            assertEquals(lb.h(), b.h(), 0.0);
            double emp = LipschitzCertificate.empiricalLowerBound(b, shape, m, 3, 25, 7);
            assertTrue(emp <= lb.bound() * (1 + 1e-4), "empirical " + emp + " certified " + lb);
            assertTrue(emp > 0.3, "empirical search found nothing: " + emp);
        }
    }

    @Test
    void denseBlockIsNonExpansive() {
        nonExpansive(LayerKind.DENSE, new Shape(1, 10), 0);
    }

    @Test
    void conv2dBlockIsNonExpansive() {
        nonExpansive(LayerKind.CONV2D, new Shape(1, 3, 10, 10), 64);
    }

    @Test
    void saturatingActivationsKeepTheBlockNonExpansive() {
        nonExpansive(LayerKind.CONV2D, new Shape(1, 3, 10, 10), 64, Activation.HARDTANH);
        nonExpansive(LayerKind.CONV2D, new Shape(1, 3, 10, 10), 64, Activation.TANH);
    }

    @Test
    void learnedThresholdShrinkKeepsTheBlockNonExpansive() {
        nonExpansive(LayerKind.CONV2D, new Shape(1, 3, 10, 10), 64, Activation.shrink(0.2));
        nonExpansive(LayerKind.DENSE, new Shape(1, 10), 0, Activation.shrink(0.05));
    }

    @Test
    void shrinkBlockIsSoftThresholdingInAnOrthonormalBasis() {
        try (NDManager m = NDManager.newBaseManager()) {
            // W = I (2x2), tau = 0.5 so h = 1, b = 0: x - clip(x, -t, t) = soft(x, t), t = 0.3
            GradientStepBlock b = GradientStepBlock.analytic(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}, 0.5,
                    Activation.shrink(0.3), m);
            assertEquals(1.0, b.h(), 1e-15);
            double[] x = {1.0, -0.1, -2.0, 0.3};
            double[] y = run(b, m, x, new Shape(2, 2));
            for (int j = 0; j < x.length; j++) {
                double soft = Math.signum(x[j]) * Math.max(0, Math.abs(x[j]) - 0.3);
                assertEquals(soft, y[j], 1e-6, "soft threshold of " + x[j]);
            }
            assertTrue(b.getParameters().keys().contains("log_threshold"));
        }
    }

    @Test
    void shrinkThresholdsReceiveGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 3, 8, 8);
            GradientStepBlock b = block(LayerKind.CONV2D, 3, 4, 0.9, Activation.shrink(0.05));
            b.initialize(m, DataType.FLOAT32, shape);
            NDArray x = DjlTestSupport.gaussian(m, shape, DataType.FLOAT32, 5);
            NDArray logT = b.getParameters().get("log_threshold").getArray();
            assertArrayEquals(new float[] {(float) Math.log(0.05), (float) Math.log(0.05), (float) Math.log(0.05),
                (float) Math.log(0.05)}, logT.toFloatArray(), 1e-6f);
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : b.getParameters()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), true).head();
                gc.backward(y.square().sum());
            }
            double g = logT.getGradient().abs().sum().getFloat();
            assertTrue(g > 0, "the thresholds are learned: gradient " + g);
        }
    }

    @Test
    void conv3dBlockIsNonExpansive() {
        nonExpansive(LayerKind.CONV3D, new Shape(1, 2, 6, 6, 6), 24);
    }

    @Test
    void unconstrainedSwitchLearnsHAndLosesTheGuarantee() {
        try (NDManager m = NDManager.newBaseManager()) {
            GradientStepBlock b = GradientStepBlock.builder().kind(LayerKind.DENSE).width(4).hiddenWidth(4)
                    .unconstrained(true).tau(3.0).weightStd(1.0).build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            assertTrue(b.isUnconstrained());
            assertTrue(b.getParameters().keys().contains("h"), "h is a learned parameter");
            assertEquals(3.0, b.h(), 1e-6);
            b.freeze(0);
            double emp = LipschitzCertificate.empiricalLowerBound(b, new Shape(1, 4), m, 3, 25, 3);
            assertTrue(b.layerBound().bound() > 1.5, "no guarantee without the constraint: " + b.layerBound());
            assertTrue(emp > 1.0, "unconstrained block expands: " + emp);
        }
    }

    @Test
    void saveLoadRoundTripIsBitForBit() throws Exception {
        saveLoadRoundTrip(Activation.RELU);
    }

    @Test
    void saveLoadRoundTripKeepsLearnedThresholds() throws Exception {
        saveLoadRoundTrip(Activation.shrink(0.1));
    }

    private void saveLoadRoundTrip(Activation act) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 3, 8, 8);
            GradientStepBlock a = GradientStepBlock.builder().kind(LayerKind.CONV2D).width(3).hiddenWidth(5)
                    .learnTau(0.95).tau(0.8).activation(act).powerIterationSize(8).build();
            a.initialize(m, DataType.FLOAT32, shape);
            if (act.learnsThreshold()) {
                // thresholds that differ from b's initial ones, so loading them is seen in the output
                a.getParameters().get("log_threshold").getArray().addi(m.randomNormal(new Shape(5)).mul(0.5));
            }
            NDArray x = DjlTestSupport.gaussian(m, shape, DataType.FLOAT32, 4);
            a.forward(new ParameterStore(m, false), new NDList(x), true);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            GradientStepBlock b = GradientStepBlock.builder().kind(LayerKind.CONV2D).width(3).hiddenWidth(5)
                    .learnTau(0.95).tau(0.8).activation(act).powerIterationSize(8).build();
            b.initialize(m, DataType.FLOAT32, shape);
            float[] before = b.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            // a ParameterStore caches the arrays it handed out: use a fresh one after loading
            float[] ya = a.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            float[] yb = b.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            assertNotEquals(java.util.Arrays.hashCode(before), java.util.Arrays.hashCode(ya));
            assertArrayEquals(ya, yb, "inference outputs after load (not frozen)");
            a.freeze(32);
            bytes.reset();
            a.saveParameters(new DataOutputStream(bytes));
            b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertTrue(b.isFrozen());
            assertEquals(a.h(), b.h());
            assertArrayEquals(a.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray(),
                    b.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray(),
                    "frozen outputs after load");
            for (String name : a.getParameters().keys()) {
                assertArrayEquals(a.getParameters().get(name).getArray().toFloatArray(),
                        b.getParameters().get(name).getArray().toFloatArray(), name);
            }
        }
    }
}
