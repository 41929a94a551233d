package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.nn.Activation;
import io.github.lipschitzpnp.train.DenoiserTrainer;
import io.github.lipschitzpnp.train.NoiseModel;
import io.github.lipschitzpnp.train.PatchSampler;
import io.github.lipschitzpnp.train.TrainingImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code lpnp train}: trains a certified 1-Lipschitz denoiser on a folder of images. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a 1-Lipschitz ResNet denoiser on your own clean images.",
            "Every 6th image (sorted by name) is held out for validation unless --validation is given.",
            "Ctrl-C stops cleanly; the last checkpoint stays intact and --resume continues from it."})
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--images", required = true, description = "Folder of clean training images (TIFF, PNG).")
    Path images;

    @Option(names = "--validation", description = "Folder of validation images (default: a split of --images).")
    Path validation;

    @Option(names = {"-o", "--out"}, required = true, description = "Model file to write (.lpnp.zip).")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Option(names = "--name", description = "Model name (default: the output file name).")
    String name;

    @Option(names = "--sigma", defaultValue = "15/255",
            description = "Gaussian noise sigma on the [0,1] scale, e.g. 0.02 or 5/255 (default ${DEFAULT-VALUE}).")
    String sigma;

    @Option(names = "--sigma-max", description = "Train for a sigma range [--sigma, --sigma-max] (noise-conditioned).")
    String sigmaMax;

    @Option(names = "--poisson-peak", description = "Poisson-Gaussian noise: photons at intensity 1.")
    Double poissonPeak;

    @Option(names = "--width", defaultValue = "16", description = "Feature channels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--hidden", defaultValue = "0", description = "Channels inside each block (default: --width).")
    int hidden;

    @Option(names = "--coarse-blocks", defaultValue = "0", description = "How many of the middle blocks run at "
            + "half resolution (2x2 pixel cells moved into channels, an isometry): each of their steps reaches twice "
            + "as far for the same cost (default ${DEFAULT-VALUE}).")
    int coarseBlocks;

    @Option(names = "--contrast", defaultValue = "0.25", description = "Random contrast: each training patch becomes "
            + "a x + b with a log-uniform in [C, 1] (and b keeping [0, 1]), as the bundled models were trained; "
            + "1 = off (default ${DEFAULT-VALUE}).")
    double contrast;

    @Option(names = "--zoom", defaultValue = "1", description = "Random zoom: each patch is cut from a window up "
            + "to Z times smaller and enlarged (bilinear), for smooth oversampled content; 1 = off (default "
            + "${DEFAULT-VALUE}).")
    double zoom;

    @Option(names = "--learn-tau", description = "Every block learns its step factor in (0, --tau], starting at "
            + "half of it (default: fixed at --tau). Same certificate.")
    boolean learnTau;

    @Option(names = "--depth", defaultValue = "6", description = "Gradient-step blocks (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--kernel", defaultValue = "3", description = "Kernel size (default ${DEFAULT-VALUE}).")
    int kernel;

    @Option(names = "--activation", defaultValue = "shrink:0.02", description = "shrink[:T] (clip to [-t, t] with a "
            + "threshold t learned per channel, starting at T, 0.05 if not given: soft thresholding in a learned frame), relu, "
            + "leaky_relu:ALPHA, hardtanh (clip to [-1, 1]) or tanh (default ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--tau", defaultValue = "0.9", description = "Step-size factor in (0,1] (default ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--identity-mix", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Output (1-a) x + a N(x) with a learned a: still 1-Lipschitz, easier at low noise (default ${DEFAULT-VALUE}).")
    boolean identityMix;

    @Option(names = "--patch", defaultValue = "40", description = "Patch side (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--batch", defaultValue = "16", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "2000", description = "Adam steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validate-every", defaultValue = "200", description = "Steps between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--checkpoint", description = "Checkpoint file (default: OUT with .ckpt.zip).")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint when it exists.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && !force) {
            throw new UserInputException("output " + out + " exists: choose another --out or add --force");
        }
        // Before any step: an output that cannot be written must not be found out after hours of training.
        io.github.lipschitzpnp.image.ImageFiles.checkWritable(out,
                new io.github.lipschitzpnp.image.ImageFiles.WriteOptions(force, List.of()));
        Path ckpt = checkpoint != null ? checkpoint
                : out.resolveSibling(out.getFileName().toString().replaceAll("(\\.lpnp)?\\.zip$", "") + ".ckpt.zip");
        if (Files.exists(ckpt) && !resume) {
            throw new UserInputException("checkpoint " + ckpt + " exists from an earlier run: add --resume to "
                    + "continue it, or delete it to start again");
        }
        try {
            Activation.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--activation: " + e.getMessage(), e);
        }
        if (!(contrast > 0 && contrast <= 1)) {
            throw new UserInputException("--contrast must lie in (0, 1] (1 = no contrast augmentation), got " + contrast);
        }
        if (!(zoom >= 1 && zoom <= 8)) {
            throw new UserInputException("--zoom must lie in [1, 8] (1 = no zoom augmentation), got " + zoom);
        }
        if (coarseBlocks < 0 || coarseBlocks > depth) {
            throw new UserInputException("--coarse-blocks must be between 0 and --depth (" + depth + "), got "
                    + coarseBlocks);
        }
        noiseModel();
        List<PatchSampler.Image2D> all = loadFolder(images, patch);
        List<PatchSampler.Image2D> train = new ArrayList<>();
        List<PatchSampler.Image2D> val = new ArrayList<>();
        if (validation != null) {
            train.addAll(all);
            val.addAll(loadFolder(validation, patch));
        } else {
            if (all.size() < 2) {
                throw new UserInputException("need at least 2 images in " + images + " to hold one out for "
                        + "validation, or give --validation DIR");
            }
            TrainingImages.Split split = TrainingImages.split(all);
            train.addAll(split.training());
            val.addAll(split.validation());
        }
        NoiseModel noise = noiseModel();
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, width, hidden > 0 ? hidden : width, depth,
                kernel, activation, tau, identityMix, coarseBlocks, learnTau);
        String modelName = name != null ? name : out.getFileName().toString().replaceAll("\\.lpnp\\.zip$|\\.zip$", "");
        DenoiserTrainer.Config config = new DenoiserTrainer.Config(modelName, arch, noise, patch, batch, steps, lr,
                seed, validateEvery, checkpointEvery, contrast, zoom);
        common.say(String.format(Locale.ROOT, "training '%s': %d training / %d validation images, %s, width %d, "
                + "depth %d, %d steps of batch %d x %d^2", modelName, train.size(), val.size(), noise.describe(),
                width, depth, steps, batch, patch));

        AtomicBoolean cancel = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        Thread hook = new Thread(() -> {
            cancel.set(true);
            try {
                worker.join(60_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        ProgressBar bar = new ProgressBar("train", common.quiet);
        DenoiserTrainer.Result result;
        try {
            result = new DenoiserTrainer(config, common.device()).train(train, val, ckpt, p -> {
                bar.update(p.step(), p.steps(), String.format(Locale.ROOT, "loss %.2e val PSNR %.2f dB",
                        p.loss(), p.validationPsnr()));
                return !cancel.get();
            });
        } catch (CancellationException e) {
            common.say("stopped: " + e.getMessage());
            return 130;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down
            }
        }
        DenoiserModel model = result.model().withTrainingInfo(Map.of(
                "command", "lpnp train " + String.join(" ", commandLineEcho()),
                "images", images.toString()));
        model.save(out);
        Files.deleteIfExists(ckpt);
        common.say(String.format(Locale.ROOT, "wrote %s: validation PSNR %.2f dB (noisy %.2f dB), certified bound %.6f, "
                        + "empirical %.4f, %.0f s", out, result.finalValidationPsnr(), result.noisyValidationPsnr(),
                model.certificate().certifiedBound(), model.certificate().empiricalLowerBound(), result.seconds()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", out.toString());
        json.put("validation_psnr", result.finalValidationPsnr());
        json.put("noisy_psnr", result.noisyValidationPsnr());
        json.putAll(model.certificateSummary());
        json.put("seconds", result.seconds());
        common.finish(json, System.out);
        model.close();
        return 0;
    }

    private List<String> commandLineEcho() {
        List<String> a = new ArrayList<>(List.of("--images", images.toString(), "--sigma", sigma, "--width",
                "" + width, "--depth", "" + depth, "--patch", "" + patch, "--batch", "" + batch, "--steps", "" + steps,
                "--lr", "" + lr, "--seed", "" + seed, "--tau", "" + tau, identityMix ? "--identity-mix" : "--no-identity-mix"));
        if (sigmaMax != null) {
            a.addAll(List.of("--sigma-max", sigmaMax));
        }
        if (poissonPeak != null) {
            a.addAll(List.of("--poisson-peak", "" + poissonPeak));
        }
        if (hidden > 0) {
            a.addAll(List.of("--hidden", "" + hidden));
        }
        if (kernel != 3) {
            a.addAll(List.of("--kernel", "" + kernel));
        }
        a.addAll(List.of("--activation", activation)); // always: the default may change, the record must not
        if (coarseBlocks > 0) {
            a.addAll(List.of("--coarse-blocks", "" + coarseBlocks));
        }
        if (learnTau) {
            a.add("--learn-tau");
        }
        if (contrast < 1) {
            a.addAll(List.of("--contrast", "" + contrast));
        }
        if (zoom > 1) {
            a.addAll(List.of("--zoom", "" + zoom));
        }
        return a;
    }

    NoiseModel noiseModel() {
        double s = parseSigma(sigma, "--sigma");
        if (poissonPeak != null) {
            return NoiseModel.poissonGaussian(poissonPeak, s);
        }
        if (sigmaMax != null) {
            return NoiseModel.gaussianRange(s, parseSigma(sigmaMax, "--sigma-max"));
        }
        return NoiseModel.gaussian(s);
    }

    /** Parses "0.02" or "5/255". */
    static double parseSigma(String text, String option) {
        try {
            String t = text.trim();
            int slash = t.indexOf('/');
            double v = slash >= 0 ? Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1))
                    : Double.parseDouble(t);
            if (!(v >= 0 && v < 1)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UserInputException(option + " '" + text + "' is not a noise level in [0, 1): "
                    + "write e.g. 0.02 or 5/255");
        }
    }

    /** All readable 2D images of a folder, sorted by name, each scaled to [0, 1] by its min and max. */
    static List<PatchSampler.Image2D> loadFolder(Path dir, int patch) throws IOException {
        try {
            return TrainingImages.fromFolder(dir, patch);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
