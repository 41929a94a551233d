package io.github.lipschitzpnp.paper;

import ai.djl.Device;
import ai.djl.Model;
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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.lipschitzpnp.nn.LipschitzCertificate;
import io.github.lipschitzpnp.nn.LipschitzResNet;

import java.util.SplittableRandom;

/**
 * Trains scalar 1-Lipschitz ResNets (dense, fixed width) by Adam to fit a 1-Lipschitz target, and
 * measures their test error; optionally the same architecture with the constraint switched off.
 */
public final class ApproximationStudy {

    /** Training budget and shape. */
    public record Settings(int width, int steps, int trainPoints, int testPoints, double learningRate,
            double labelNoise, long seed) {
    }

    /** The outcome of one fit. */
    public record Fit(int depth, boolean constrained, double testRmse, double testMaxError, double finalLoss,
            double certifiedBound, double empiricalBound, double seconds) {
    }

    private final Settings settings;

    public ApproximationStudy(Settings settings) {
        this.settings = settings;
    }

    private float[] samplePoints(Targets.Target t, int n, SplittableRandom r) {
        float[] x = new float[n * t.dimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (t.low() + (t.high() - t.low()) * r.nextDouble());
        }
        return x;
    }

    private float[] values(Targets.Target t, float[] x, double noise, SplittableRandom r) {
        int d = t.dimension();
        float[] y = new float[x.length / d];
        double[] p = new double[d];
        for (int i = 0; i < y.length; i++) {
            for (int k = 0; k < d; k++) {
                p[k] = x[i * d + k];
            }
            y[i] = (float) (t.value(p) + (noise > 0 ? noise * r.nextGaussian() : 0));
        }
        return y;
    }

    /** Fits a network of the given depth to the target; {@code constrained=false} drops the constraint. */
    public Fit fit(Targets.Target target, int depth, boolean constrained) {
        long t0 = System.nanoTime();
        int d = target.dimension();
        SplittableRandom r = new SplittableRandom(settings.seed());
        float[] xTrain = samplePoints(target, settings.trainPoints(), r);
        float[] yTrain = values(target, xTrain, settings.labelNoise(), r);
        float[] xTest = samplePoints(target, settings.testPoints(), new SplittableRandom(settings.seed() + 99));
        float[] yTest = values(target, xTest, 0, r);

        ai.djl.engine.Engine.getInstance().setRandomSeed((int) settings.seed());
        LipschitzResNet net = LipschitzResNet.builder().form(LipschitzResNet.Form.SCALAR).dense(d, 1)
                .width(settings.width()).depth(depth).tau(1.0).unconstrained(!constrained).build();
        try (Model model = Model.newInstance("approx", Device.cpu())) {
            model.setBlock(net);
            Tracker lr = Tracker.cosine().setBaseValue((float) settings.learningRate())
                    .optFinalValue((float) (settings.learningRate() * 0.01)).setMaxUpdates(settings.steps()).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                    .optDevices(new Device[] {Device.cpu()});
            double finalLoss = Double.NaN;
            try (Trainer trainer = model.newTrainer(config)) {
                Shape shape = new Shape(settings.trainPoints(), d);
                trainer.initialize(shape);
                for (int step = 0; step < settings.steps(); step++) {
                    try (NDManager sub = model.getNDManager().newSubManager()) {
                        NDArray x = sub.create(xTrain, shape);
                        NDArray y = sub.create(yTrain, new Shape(settings.trainPoints(), 1));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = out.sub(y).square().mean();
                            finalLoss = loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }
            }
            NDManager m = model.getNDManager();
            double certified = Double.NaN;
            double empirical;
            if (constrained) {
                LipschitzCertificate cert = LipschitzCertificate.certify(net, new Shape(1, d), 0, m, settings.seed());
                certified = cert.certifiedBound();
                empirical = cert.empiricalLowerBound();
            } else {
                empirical = LipschitzCertificate.empiricalLowerBound(net, new Shape(1, d), m, 8, 40, settings.seed());
            }
            if (d == 1) {
                empirical = Math.max(empirical, gridSlope(net, target, m));
            }
            float[] pred = predict(net, xTest, d, m);
            double se = 0;
            double worst = 0;
            for (int i = 0; i < pred.length; i++) {
                double e = Math.abs(pred[i] - yTest[i]);
                se += e * e;
                worst = Math.max(worst, e);
            }
            return new Fit(depth, constrained, Math.sqrt(se / pred.length), worst, finalLoss, certified, empirical,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    static float[] predict(LipschitzResNet net, float[] x, int d, NDManager m) {
        try (NDManager sub = m.newSubManager()) {
            NDArray in = sub.create(x, new Shape(x.length / d, d));
            NDArray out = net.forward(new ParameterStore(sub, false), new NDList(in), false).singletonOrThrow();
            return out.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /** Largest difference quotient of a 1D network on a fine grid over the target's interval. */
    static double gridSlope(LipschitzResNet net, Targets.Target t, NDManager m) {
        int n = 4001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (t.low() + (t.high() - t.low()) * i / (n - 1));
        }
        float[] y = predict(net, x, 1, m);
        double best = 0;
        for (int i = 1; i < n; i++) {
            double dx = (double) x[i] - x[i - 1];
            best = Math.max(best, Math.abs((double) y[i] - y[i - 1]) / dx);
        }
        return best;
    }
}
