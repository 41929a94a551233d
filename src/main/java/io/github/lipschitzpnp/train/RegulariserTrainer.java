package io.github.lipschitzpnp.train;

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
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.RegulariserModel;
import io.github.lipschitzpnp.nn.LipschitzResNet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Trains a scalar 1-Lipschitz ResNet {@code R} as an adversarial regulariser (Lunz, Oektem,
 * Schoenlieb, NeurIPS 2018): minimise {@code E[R(x_clean)] - E[R(x_bad)]} over patches, so that
 * {@code R} is low on clean images and high on artefact-laden reconstructions. This is the dual
 * form of the Wasserstein-1 distance between the two distributions, which needs a 1-Lipschitz
 * critic; Lunz et al. enforce that softly with a gradient penalty, here the architecture is
 * 1-Lipschitz by construction (gradient-step blocks, norm-constrained linear maps, pixel-sum
 * pooling), so the loss is the plain difference. Adam with a cosine schedule; the result is
 * frozen, certified and loaded back like any model file.
 *
 * <p>Validation: on fixed aligned patch pairs, the gap {@code mean R(bad) - mean R(clean)} (larger
 * is better) and, for scale, the mean distance {@code ||bad - clean||} of the pairs, an upper bound
 * of the Wasserstein-1 distance and hence of the gap any 1-Lipschitz critic can reach.
 */
public final class RegulariserTrainer {

    /** What to train and how. */
    public record Config(String name, ModelSpec.Architecture architecture, Artefacts.Settings artefacts, int patch,
            int batch, int steps, double learningRate, long seed, int validateEvery) {
        public Config {
            if (steps < 1 || batch < 1 || patch < 8) {
                throw new IllegalArgumentException("need steps >= 1, batch >= 1 and patch >= 8");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive");
            }
            if (architecture.identityMix()) {
                throw new IllegalArgumentException("a regulariser has no identity mix");
            }
        }
    }

    /** One progress report: loss = mean R(clean) - mean R(bad) of the batch. */
    public record Progress(int step, int steps, double loss, double validationGap, double elapsedSeconds) {
    }

    /** Receives progress; returning false cancels. */
    @FunctionalInterface
    public interface Listener {
        boolean onProgress(Progress progress);
    }

    /** The trained, certified model with its history. */
    public record Result(RegulariserModel model, double[] lossHistory, double validationGap,
            double validationDistance, double seconds) {
    }

    private final Config config;
    private final Device device;

    public RegulariserTrainer(Config config, Device device) {
        this.config = config;
        this.device = device;
    }

    /**
     * Trains on aligned pairs (clean, bad) and validates on other aligned pairs; returns the
     * certified model (not written).
     */
    public Result train(Artefacts.Pairs train, Artefacts.Pairs validation, Listener listener)
            throws ModelFileException {
        ModelSpec.Architecture arch = config.architecture();
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) config.seed());
        LipschitzResNet net = RegulariserModel.buildNetwork(arch);
        int p = config.patch();
        int b = config.batch();
        Shape batchShape = new Shape(2L * b, 1, p, p);
        // Same seed and same image sizes: both samplers draw the same positions and symmetries.
        PatchSampler cleanSampler = new PatchSampler(train.clean(), p, config.seed());
        PatchSampler badSampler = new PatchSampler(train.bad(), p, config.seed());
        ValidationSet val = ValidationSet.of(validation, p, 32, config.seed() + 1);
        float[] weights = new float[2 * b];
        for (int i = 0; i < 2 * b; i++) {
            weights[i] = i < b ? 1f / b : -1f / b;
        }
        try (Model model = Model.newInstance(config.name(), device)) {
            model.setBlock(net);
            Tracker lr = Tracker.cosine().setBaseValue((float) config.learningRate())
                    .optFinalValue((float) (config.learningRate() * 0.02)).setMaxUpdates(config.steps()).build();
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(batchShape);
                float[] both = new float[2 * b * p * p];
                float[] half = new float[b * p * p];
                double[] losses = new double[config.steps()];
                double gap = Double.NaN;
                long t0 = System.nanoTime();
                for (int step = 0; step < config.steps(); step++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("training interrupted at step " + step);
                    }
                    cleanSampler.nextBatch(half, b);
                    System.arraycopy(half, 0, both, 0, half.length);
                    badSampler.nextBatch(half, b);
                    System.arraycopy(half, 0, both, half.length, half.length);
                    double lossValue;
                    try (NDManager sub = model.getNDManager().newSubManager()) {
                        NDArray x = sub.create(both, batchShape);
                        NDArray w = sub.create(weights, new Shape(2L * b, 1));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = out.mul(w).sum();
                            lossValue = loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    losses[step] = lossValue;
                    if (!Double.isFinite(lossValue)) {
                        throw new IllegalStateException("training loss became " + lossValue + " at step " + step
                                + ": lower the learning rate (--lr)");
                    }
                    boolean last = step == config.steps() - 1;
                    if (config.validateEvery() > 0 && ((step + 1) % config.validateEvery() == 0 || last)) {
                        gap = val.gap(net, model.getNDManager());
                    }
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    if (listener != null && !listener.onProgress(new Progress(step + 1, config.steps(), lossValue, gap,
                            elapsed))) {
                        throw new CancellationException("training cancelled at step " + (step + 1));
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double finalGap = val.gap(net, model.getNDManager());
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("task", config.artefacts().task().key());
                summary.put("objective", "adversarial (Wasserstein-1 critic): minimise E[R(clean)] - E[R(bad)], "
                        + "1-Lipschitz by construction, no gradient penalty");
                summary.put("bad_images", config.artefacts().describe());
                summary.put("angles", config.artefacts().angles());
                summary.put("psf_sigma", config.artefacts().psfSigma());
                summary.put("steps", config.steps());
                summary.put("batch", b);
                summary.put("patch", p);
                summary.put("learning_rate", config.learningRate());
                summary.put("seed", config.seed());
                summary.put("training_pairs", train.clean().size());
                summary.put("seconds_this_run", seconds);
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("gap", finalGap);
                metrics.put("pair_distance", val.meanDistance());
                ModelSpec.Noise noise = new ModelSpec.Noise("gaussian", config.artefacts().noise(),
                        config.artefacts().noise(), config.artefacts().noise(), 0);
                RegulariserModel trained = RegulariserModel.certifyTrained(config.name(), arch, noise, summary, metrics,
                        net, model.getNDManager(), device);
                return new Result(trained, losses, finalGap, val.meanDistance(), seconds);
            }
        }
    }

    /** Fixed aligned validation patches. */
    static final class ValidationSet {
        private final float[] clean;
        private final float[] bad;
        private final Shape shape;
        private final double distance;

        private ValidationSet(float[] clean, float[] bad, Shape shape, double distance) {
            this.clean = clean;
            this.bad = bad;
            this.shape = shape;
            this.distance = distance;
        }

        static ValidationSet of(Artefacts.Pairs pairs, int patch, int count, long seed) {
            float[] c = new float[count * patch * patch];
            float[] b = new float[c.length];
            new PatchSampler(pairs.clean(), patch, seed).nextBatch(c, count);
            new PatchSampler(pairs.bad(), patch, seed).nextBatch(b, count);
            double total = 0;
            int pp = patch * patch;
            for (int i = 0; i < count; i++) {
                double s = 0;
                for (int j = i * pp; j < (i + 1) * pp; j++) {
                    double d = b[j] - c[j];
                    s += d * d;
                }
                total += Math.sqrt(s);
            }
            return new ValidationSet(c, b, new Shape(count, 1, patch, patch), total / count);
        }

        double meanDistance() {
            return distance;
        }

        double gap(LipschitzResNet net, NDManager manager) {
            return mean(net, manager, bad) - mean(net, manager, clean);
        }

        private double mean(LipschitzResNet net, NDManager manager, float[] data) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.create(data, shape);
                NDArray out = net.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
                float[] v = out.toType(DataType.FLOAT32, false).toFloatArray();
                double s = 0;
                for (float f : v) {
                    s += f;
                }
                return s / v.length;
            }
        }
    }
}
