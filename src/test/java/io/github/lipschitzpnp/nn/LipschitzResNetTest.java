package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LipschitzResNetTest {

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(42);
    }

    private static void assertCertified(LipschitzCertificate c) {
        assertTrue(c.certifiedBound() <= 1 + 1e-3, "certified " + c);
        assertTrue(c.empiricalLowerBound() <= c.certifiedBound() * (1 + 1e-4), "empirical above certified: " + c);
        assertTrue(c.empiricalLowerBound() > 0.05, "the empirical search found nothing: " + c);
        double product = 1;
        for (LipschitzCertificate.LayerBound b : c.layers()) {
            product *= b.bound();
        }
        assertEquals(product, c.certifiedBound(), 1e-12);
    }

    @Test
    void denseVectorAndScalarNetworksAreCertified() {
        try (NDManager m = NDManager.newBaseManager()) {
            LipschitzResNet vec = LipschitzResNet.builder().dense(5, 3).widths(8, 8, 6).hiddenWidth(12)
                    .activation(Activation.parse("leaky_relu:0.1")).build();
            vec.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            // lift, block, block, change, block, project
            assertEquals(6, vec.layers().size());
            assertEquals(new Shape(4, 3), vec.getOutputShapes(new Shape[] {new Shape(4, 5)})[0]);
            assertCertified(LipschitzCertificate.certify(vec, new Shape(1, 5), 0, m, 1));

            LipschitzResNet sc = LipschitzResNet.builder().form(LipschitzResNet.Form.SCALAR).dense(6, 1).width(8)
                    .depth(3).build();
            sc.initialize(m, DataType.FLOAT32, new Shape(1, 6));
            LipschitzCertificate c = LipschitzCertificate.certify(sc, new Shape(1, 6), 0, m, 2);
            assertCertified(c);
            NDArray x = DjlTestSupport.gaussian(m, new Shape(5, 6), DataType.FLOAT32, 3);
            NDArray g = sc.inputGradient(x);
            assertEquals(x.getShape(), g.getShape());
            double[] norms = g.square().sum(new int[] {1}).sqrt().toType(DataType.FLOAT64, false).toDoubleArray();
            for (double n : norms) {
                assertTrue(n <= c.certifiedBound() * (1 + 1e-5), "|grad R| = " + n);
            }
            // gradient agrees with a finite difference along a random direction
            NDArray d = DjlTestSupport.gaussian(m, new Shape(5, 6), DataType.FLOAT32, 4).mul(1e-2f);
            ParameterStore ps = new ParameterStore(m, false);
            double fd = sc.forward(ps, new NDList(x.add(d)), false).head().sum().getFloat()
                    - sc.forward(ps, new NDList(x.sub(d)), false).head().sum().getFloat();
            double lin = 2 * g.mul(d).sum().getFloat();
            assertEquals(lin, fd, 0.05 * Math.abs(lin) + 1e-4);
        }
    }

    @Test
    void imageNetworks2dAnd3dAreCertified() {
        try (NDManager m = NDManager.newBaseManager()) {
            LipschitzResNet den3 = LipschitzResNet.builder().image(3).width(4).depth(2).powerIterationSize(6).build();
            den3.initialize(m, DataType.FLOAT32, new Shape(1, 1, 6, 6, 6));
            assertCertified(LipschitzCertificate.certify(den3, new Shape(1, 1, 6, 6, 6), 16, m, 5));

            LipschitzResNet sc2 = LipschitzResNet.builder().image(2).form(LipschitzResNet.Form.SCALAR).width(4)
                    .depth(2).powerIterationSize(8).build();
            sc2.initialize(m, DataType.FLOAT32, new Shape(1, 1, 10, 10));
            assertEquals(new Shape(3, 1), sc2.getOutputShapes(new Shape[] {new Shape(3, 1, 10, 10)})[0]);
            LipschitzCertificate c = LipschitzCertificate.certify(sc2, new Shape(1, 1, 10, 10), 32, m, 6);
            assertCertified(c);
            assertTrue(c.layers().stream().anyMatch(l -> l.name().equals("PixelSumPool")));
            NDArray g = sc2.inputGradient(DjlTestSupport.gaussian(m, new Shape(2, 1, 10, 10), DataType.FLOAT32, 7));
            assertEquals(new Shape(2, 1, 10, 10), g.getShape());
        }
    }

    @Test
    void learnedStepsStartAtTheGivenFractionAndStayCertified() {
        try (NDManager m = NDManager.newBaseManager()) {
            LipschitzResNet net = LipschitzResNet.builder().image(2).width(6).depth(3).tau(1.0).learnTauFrom(0.5)
                    .identityMix(true).powerIterationSize(8).build();
            Shape s = new Shape(2, 1, 16, 16);
            net.initialize(m, DataType.FLOAT32, s);
            for (GradientStepBlock b : net.blocks()) {
                assertTrue(b.getParameters().keys().contains("rho"), "learned step");
                assertEquals(0.5, b.currentTau(), 1e-6);
            }
            assertCertified(LipschitzCertificate.certify(net, new Shape(1, 1, 16, 16), 32, m, 3));
            assertThrows(IllegalArgumentException.class, () -> LipschitzResNet.builder().learnTauFrom(1.0));
        }
    }

    @Test
    void networkSaveLoadRoundTripIsBitForBit() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 1, 10, 10);
            java.util.function.Supplier<LipschitzResNet> make = () -> LipschitzResNet.builder().image(2)
                    .widths(4, 6).learnTau(0.95).powerIterationSize(8).build();
            LipschitzResNet a = make.get();
            a.initialize(m, DataType.FLOAT32, shape);
            NDArray x = DjlTestSupport.gaussian(m, shape, DataType.FLOAT32, 8);
            a.forward(new ParameterStore(m, false), new NDList(x), true);
            a.freeze(16);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            a.saveParameters(new java.io.DataOutputStream(bytes));
            LipschitzResNet b = make.get();
            b.initialize(m, DataType.FLOAT32, shape);
            b.loadParameters(m, new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
            assertTrue(b.isFrozen());
            float[] ya = a.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            float[] yb = b.apply(x).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(ya, yb);
            for (int j = 0; j < a.layers().size(); j++) {
                assertEquals(a.layers().get(j).layerBound(), b.layers().get(j).layerBound());
            }
        }
    }

    @Test
    void unconstrainedNetworkHasFreeStepSizesAndUnnormalisedMaps() {
        try (NDManager m = NDManager.newBaseManager()) {
            LipschitzResNet net = LipschitzResNet.builder().dense(4, 4).width(6).depth(2).unconstrained(true)
                    .tau(4.0).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            assertTrue(net.isUnconstrained());
            assertEquals(2, net.getParameters().keys().stream().filter(k -> k.endsWith("_h")).count(),
                    "one free step size per block: " + net.getParameters().keys());
            // scale the lifting so ||A|| = 3 > 1: a constrained map would normalise it away
            NormConstrainedLinear lift = (NormConstrainedLinear) net.layers().get(0);
            NDArray w = lift.weightParameter().getArray();
            double s = 3.0 / SpectralBounds.exactNorm(toMatrix(w.toType(DataType.FLOAT64, false).toDoubleArray(), 6, 4));
            w.muli((float) s);
            LipschitzCertificate c = LipschitzCertificate.certify(net, new Shape(1, 4), 0, m, 3);
            assertTrue(c.layers().get(0).bound() > 2.9, c.toString());
            assertTrue(c.certifiedBound() > 1.5 && c.empiricalLowerBound() > 1.0, c.toString());
            assertTrue(c.empiricalLowerBound() <= c.certifiedBound() * (1 + 1e-4), c.toString());
        }
    }

    private static double[][] toMatrix(double[] flat, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, a[r], 0, cols);
        }
        return a;
    }

    /** Random smooth 16x16 patches: sums of a few random low-frequency cosines. */
    static float[] smoothPatches(int n, int size, Random rnd) {
        float[] out = new float[n * size * size];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < 3; c++) {
                double fx = rnd.nextDouble() * 0.5;
                double fy = rnd.nextDouble() * 0.5;
                double ph = rnd.nextDouble() * 6.28;
                double a = 0.3 * rnd.nextGaussian();
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        out[(b * size + y) * size + x] += (float) (a * Math.cos(fx * x + fy * y + ph));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void adamTrainingReducesTheLossAndKeepsTheCertificate() {
        int batch = 8;
        int size = 16;
        Shape shape = new Shape(batch, 1, size, size);
        LipschitzResNet net = LipschitzResNet.builder().image(2).width(8).depth(2).tau(0.9)
                .powerIterationSize(16).build();
        Random rnd = new Random(17);
        try (Model model = Model.newInstance("lipschitz-denoiser")) {
            model.setBlock(net);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(1e-2f)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(shape);
                NDManager tm = trainer.getManager();
                double first = 0;
                double last = 0;
                int steps = 30;
                for (int it = 0; it < steps; it++) {
                    float[] clean = smoothPatches(batch, size, rnd);
                    float[] noisy = clean.clone();
                    for (int j = 0; j < noisy.length; j++) {
                        noisy[j] += (float) (0.2 * rnd.nextGaussian());
                    }
                    try (NDManager sub = tm.newSubManager()) {
                        NDArray xc = sub.create(clean, shape);
                        NDArray xn = sub.create(noisy, shape);
                        double lossValue;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(xn)).head();
                            NDArray loss = pred.sub(xc).square().mean();
                            lossValue = loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                        if (it < 3) {
                            first += lossValue / 3;
                        }
                        if (it >= steps - 3) {
                            last += lossValue / 3;
                        }
                    }
                }
                assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
                LipschitzCertificate c = LipschitzCertificate.certify(net, new Shape(1, 1, size, size), 64, tm, 9);
                assertCertified(c);
                for (LipschitzCertificate.LayerBound b : c.layers()) {
                    assertTrue(b.sigmaUpper() >= b.sigmaPowerIteration() * (1 - 1e-5), b.toString());
                }
            }
        }
    }
}
