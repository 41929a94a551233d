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
import ai.djl.nn.Block;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.nn.LipschitzResNet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Trains a 1-Lipschitz ResNet denoiser on random patches with Adam and a cosine learning-rate
 * schedule, validates on fixed noisy patches, checkpoints every N steps (atomically, in the model
 * file format) and resumes from a checkpoint. The network's constraint is built in, so nothing in
 * the loss or the optimiser enforces it.
 */
public final class DenoiserTrainer {

    /** What to train and how. */
    public record Config(String name, ModelSpec.Architecture architecture, NoiseModel noise, int patch, int batch,
            int steps, double learningRate, long seed, int validateEvery, int checkpointEvery, double contrastMin,
            double zoomMax) {

        /** Without contrast or zoom augmentation. */
        public Config(String name, ModelSpec.Architecture architecture, NoiseModel noise, int patch, int batch,
                int steps, double learningRate, long seed, int validateEvery, int checkpointEvery) {
            this(name, architecture, noise, patch, batch, steps, learningRate, seed, validateEvery, checkpointEvery,
                    1.0, 1.0);
        }

        public Config {
            // checked here, before any training starts, with the sampler's own rules
            PatchSampler.requireZoom(zoomMax);
            PatchSampler.requireContrast(contrastMin);
            if (steps < 1 || batch < 1 || patch < 8) {
                throw new IllegalArgumentException("need steps >= 1, batch >= 1 and patch >= 8");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive");
            }
        }
    }

    /** One progress report. */
    public record Progress(int step, int steps, double loss, double validationPsnr, double elapsedSeconds) {
        /** Estimated seconds left at the current pace. */
        public double secondsLeft(int startStep) {
            int done = step - startStep;
            return done <= 0 ? Double.NaN : elapsedSeconds / done * (steps - step);
        }
    }

    /** Receives progress; returning false cancels at the next step (the last checkpoint stays). */
    @FunctionalInterface
    public interface Listener {
        boolean onProgress(Progress progress);
    }

    /** The outcome: the trained, certified model and its training history. */
    public record Result(DenoiserModel model, double[] lossHistory, List<HistoryPoint> history,
            double finalValidationPsnr, double noisyValidationPsnr, double seconds) {
    }

    /** At a validation step: the mean training loss since the previous point and the validation PSNR. */
    public record HistoryPoint(int step, double meanLoss, double validationPsnr) {
        /** As stored in model.json: [step, loss, psnr]. */
        public List<Number> asList() {
            return List.of(step, meanLoss, validationPsnr);
        }
    }

    /**
     * An unconstrained network trained the same way (same patches, noise, optimiser, schedule and
     * validation set) for comparisons; the caller owns and closes {@code model}.
     */
    public record BaselineResult(Model model, Block network, double[] lossHistory, List<HistoryPoint> history,
            double finalValidationPsnr, double noisyValidationPsnr, double seconds) {
    }

    private final Config config;
    private final Device device;

    public DenoiserTrainer(Config config, Device device) {
        this.config = config;
        this.device = device;
    }

    /**
     * Trains from scratch, or from {@code checkpoint} when it exists (resume). The checkpoint is
     * rewritten every {@code checkpointEvery} steps; the final model is returned, not written.
     */
    public Result train(List<PatchSampler.Image2D> trainImages, List<PatchSampler.Image2D> validationImages,
            Path checkpoint, Listener listener) throws IOException, ModelFileException {
        ModelSpec.Architecture arch = config.architecture();
        int startStep = 0;
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) config.seed());
        LipschitzResNet net = DenoiserModel.buildNetwork(arch);
        int p = config.patch();
        Shape batchShape = new Shape(config.batch(), 1, p, p);

        ModelArchive resumeFrom = null;
        if (checkpoint != null && Files.exists(checkpoint)) {
            resumeFrom = ModelArchive.read(checkpoint);
            if (!arch.equals(resumeFrom.spec().architecture())) {
                throw new ModelFileException("checkpoint " + checkpoint + " has architecture "
                        + resumeFrom.spec().architecture() + ", not the requested " + arch
                        + ": use the same options as the interrupted run or a new checkpoint path");
            }
            Object s = resumeFrom.spec().training().get("step");
            startStep = s instanceof Number ? ((Number) s).intValue() : 0;
        }
        try (Model model = Model.newInstance(config.name(), device)) {
            model.setBlock(net);
            if (resumeFrom != null) {
                // Load before the trainer exists: its parameter store keeps the arrays it sees at
                // initialisation, so weights loaded afterwards would never be trained (or saved).
                net.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, batchShape);
                DenoiserModel.loadParameters(net, resumeFrom.parameters(), model.getNDManager());
            }
            try (Trainer trainer = model.newTrainer(trainingConfig(startStep))) {
                trainer.initialize(batchShape);
                Loop loop = new Loop(model, net, trainer, trainImages, validationImages);
                if (resumeFrom != null) {
                    loop.history.addAll(historyOf(resumeFrom.spec().training().get("history")));
                }
                loop.run(startStep, listener, (step, history) -> {
                    if (checkpoint != null && config.checkpointEvery() > 0
                            && (step % config.checkpointEvery() == 0 || step == config.steps())) {
                        writeCheckpoint(net, checkpoint, step, history);
                        return true;
                    }
                    return false;
                }, checkpoint);
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("steps", config.steps());
                summary.put("batch", config.batch());
                summary.put("patch", p);
                summary.put("learning_rate", config.learningRate());
                summary.put("seed", config.seed());
                if (config.contrastMin() < 1) {
                    summary.put("contrast_min", config.contrastMin());
                }
                if (config.zoomMax() > 1) {
                    summary.put("zoom_max", config.zoomMax());
                }
                summary.put("training_images", trainImages.size());
                summary.put("seconds_this_run", loop.seconds);
                summary.put("history", historyJson(loop.history));
                double finalPsnr = loop.validation.psnr(net, model.getNDManager());
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("psnr", finalPsnr);
                metrics.put("psnr_noisy", loop.validation.noisyPsnr());
                DenoiserModel trained = DenoiserModel.certifyTrained(config.name(), arch, config.noise(), summary,
                        metrics, net, model.getNDManager(), device);
                return new Result(trained, loop.losses, loop.history, finalPsnr, loop.validation.noisyPsnr(),
                        loop.seconds);
            }
        }
    }

    /**
     * Trains an unconstrained network (e.g. {@link io.github.lipschitzpnp.nn.DnCnn}) with this
     * trainer's settings: the same patch stream, noise, Adam schedule and validation patches as
     * {@link #train}, so that the two are compared on equal terms. No checkpoints, no certificate.
     */
    public BaselineResult trainBaseline(Block net, List<PatchSampler.Image2D> trainImages,
            List<PatchSampler.Image2D> validationImages, Listener listener) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) config.seed());
        int p = config.patch();
        Model model = Model.newInstance(config.name(), device);
        try {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(trainingConfig(0))) {
                trainer.initialize(new Shape(config.batch(), 1, p, p));
                Loop loop = new Loop(model, net, trainer, trainImages, validationImages);
                loop.run(0, listener, (step, history) -> false, null);
                double finalPsnr = loop.validation.psnr(net, model.getNDManager());
                return new BaselineResult(model, net, loop.losses, loop.history, finalPsnr,
                        loop.validation.noisyPsnr(), loop.seconds);
            }
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    private DefaultTrainingConfig trainingConfig(int startStep) {
        Tracker cosine = Tracker.cosine().setBaseValue((float) config.learningRate())
                .optFinalValue((float) (config.learningRate() * 0.02)).setMaxUpdates(config.steps()).build();
        // Adam counts its updates from 0 again after a resume; the schedule continues where it was.
        Tracker lr = n -> cosine.getNewValue(n + startStep);
        return new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                .optDevices(new Device[] {device});
    }

    /** After a step (1-based count of steps done): writes a checkpoint if due; says whether it did. */
    @FunctionalInterface
    private interface CheckpointHook {
        boolean afterStep(int stepsDone, List<HistoryPoint> history) throws IOException;
    }

    /** The training loop shared by certified and baseline networks. */
    private final class Loop {
        final Model model;
        final Block net;
        final Trainer trainer;
        final PatchSampler sampler;
        final SplittableRandom noiseRandom;
        final ValidationSet validation;
        final double[] losses = new double[config.steps()];
        final List<HistoryPoint> history = new ArrayList<>();
        double seconds;

        Loop(Model model, Block net, Trainer trainer, List<PatchSampler.Image2D> trainImages,
                List<PatchSampler.Image2D> validationImages) {
            this.model = model;
            this.net = net;
            this.trainer = trainer;
            int p = config.patch();
            this.sampler = new PatchSampler(trainImages, p, config.seed()).contrast(config.contrastMin())
                    .zoom(config.zoomMax());
            this.noiseRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
            this.validation = ValidationSet.of(validationImages, Math.min(64, p * 2), 16, config.noise(),
                    config.seed() + 1);
        }

        void run(int startStep, Listener listener, CheckpointHook hook, Path checkpoint) {
            int p = config.patch();
            Shape batchShape = new Shape(config.batch(), 1, p, p);
            float[] clean = new float[config.batch() * p * p];
            float[] noisy = new float[clean.length];
            // Advance the random streams as if an interrupted run had gone on.
            for (int i = 0; i < startStep; i++) {
                sampler.nextBatch(clean, config.batch());
                config.noise().apply(clean, noisy, p * p, noiseRandom);
            }
            double lastPsnr = Double.NaN;
            double lossSum = 0;
            int lossCount = 0;
            long t0 = System.nanoTime();
            for (int step = startStep; step < config.steps(); step++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException(cancelMessage(step, checkpoint).replace("cancelled", "interrupted"));
                }
                sampler.nextBatch(clean, config.batch());
                config.noise().apply(clean, noisy, p * p, noiseRandom);
                double lossValue;
                try (NDManager sub = model.getNDManager().newSubManager()) {
                    NDArray x = sub.create(noisy, batchShape);
                    NDArray y = sub.create(clean, batchShape);
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = out.sub(y).square().mean();
                        lossValue = loss.getFloat();
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                losses[step] = lossValue;
                lossSum += lossValue;
                lossCount++;
                if (!Double.isFinite(lossValue)) {
                    throw new IllegalStateException("training loss became " + lossValue + " at step " + step
                            + ": lower the learning rate (--lr)");
                }
                boolean last = step == config.steps() - 1;
                if (config.validateEvery() > 0 && ((step + 1) % config.validateEvery() == 0 || last)) {
                    lastPsnr = validation.psnr(net, model.getNDManager());
                    history.add(new HistoryPoint(step + 1, lossSum / lossCount, lastPsnr));
                    lossSum = 0;
                    lossCount = 0;
                }
                try {
                    hook.afterStep(step + 1, history);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("could not write the checkpoint: " + e.getMessage(), e);
                }
                seconds = (System.nanoTime() - t0) / 1e9;
                if (listener != null && !listener.onProgress(
                        new Progress(step + 1, config.steps(), lossValue, lastPsnr, seconds))) {
                    throw new CancellationException(cancelMessage(step + 1, checkpoint));
                }
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        }
    }

    private static List<List<Number>> historyJson(List<HistoryPoint> history) {
        List<List<Number>> out = new ArrayList<>();
        for (HistoryPoint h : history) {
            out.add(h.asList());
        }
        return out;
    }

    /** The history stored in a model file's training section ([[step, loss, psnr], ...]); empty when absent. */
    public static List<HistoryPoint> historyOf(Object json) {
        List<HistoryPoint> out = new ArrayList<>();
        if (json instanceof List<?> rows) {
            for (Object row : rows) {
                if (row instanceof List<?> r && r.size() == 3 && r.get(0) instanceof Number a
                        && r.get(1) instanceof Number b && r.get(2) instanceof Number c) {
                    out.add(new HistoryPoint(a.intValue(), b.doubleValue(), c.doubleValue()));
                }
            }
        }
        return out;
    }

    /**
     * What a cancel leaves: the checkpoint and its step when one exists (this run's or the one it
     * resumed from), and says so honestly when none was written yet.
     */
    static String cancelMessage(int step, Path checkpoint) {
        String text = "training cancelled at step " + step;
        if (checkpoint == null) {
            return text + "; no checkpoint file was asked for, nothing was saved";
        }
        if (!Files.exists(checkpoint)) {
            return text + " before the first checkpoint was written: nothing was saved (" + checkpoint
                    + " does not exist); a new run starts from step 0";
        }
        String at = "";
        try {
            Object s = ModelArchive.read(checkpoint).spec().training().get("step");
            at = s instanceof Number n ? " (step " + n.intValue() + ")" : "";
        } catch (ModelFileException e) {
            at = " (but it cannot be read: " + e.getMessage() + ")";
        }
        return text + "; the last checkpoint is " + checkpoint + at + ": resume from it";
    }

    private void writeCheckpoint(LipschitzResNet net, Path checkpoint, int step, List<HistoryPoint> history)
            throws IOException {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("step", step);
        training.put("steps", config.steps());
        training.put("seed", config.seed());
        training.put("checkpoint", true);
        training.put("history", historyJson(history));
        ModelSpec spec = new ModelSpec(null, 0, config.name(), "denoiser", config.architecture(),
                DenoiserModel.noiseSpec(config.noise()), training, null, Map.of(), null);
        ModelArchive.of(spec, DenoiserModel.parameterBytes(net)).write(checkpoint);
    }

    /** Fixed noisy validation patches, so that PSNR is comparable across steps. */
    static final class ValidationSet {
        private final float[] clean;
        private final float[] noisy;
        private final Shape shape;

        private ValidationSet(float[] clean, float[] noisy, Shape shape) {
            this.clean = clean;
            this.noisy = noisy;
            this.shape = shape;
        }

        static ValidationSet of(List<PatchSampler.Image2D> images, int patch, int count, NoiseModel noise, long seed) {
            PatchSampler s = new PatchSampler(images, patch, seed);
            float[] c = new float[count * patch * patch];
            s.nextBatch(c, count);
            float[] n = new float[c.length];
            noise.apply(c, n, patch * patch, new SplittableRandom(seed));
            return new ValidationSet(c, n, new Shape(count, 1, patch, patch));
        }

        double noisyPsnr() {
            return psnr(noisy);
        }

        double psnr(Block net, NDManager manager) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.create(noisy, shape);
                NDArray out = net.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
                return psnr(out.toType(DataType.FLOAT32, false).toFloatArray());
            }
        }

        private double psnr(float[] estimate) {
            double se = 0;
            for (int i = 0; i < clean.length; i++) {
                double d = estimate[i] - clean[i];
                se += d * d;
            }
            return 10 * Math.log10(clean.length / se);
        }
    }
}
