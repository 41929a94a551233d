package io.github.lipschitzpnp.cli;

import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.RegulariserModel;
import io.github.lipschitzpnp.nn.Activation;
import io.github.lipschitzpnp.train.Artefacts;
import io.github.lipschitzpnp.train.PatchSampler;
import io.github.lipschitzpnp.train.RegulariserTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** {@code lpnp train-regulariser}: trains a certified learned (adversarial) regulariser. */
@Command(name = "train-regulariser", aliases = "train-regularizer", mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Train a scalar 1-Lipschitz ResNet R as an adversarial regulariser: low on clean images,",
            "high on artefact-laden reconstructions simulated from them (sparse-view FBP for --task ct,",
            "blurred data and under-regularised deconvolutions for --task deconvolution).",
            "Use the model with the method adversarial-reg. Every 6th image (sorted by name) is held out."})
public final class TrainRegulariserCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--task", required = true, description = "ct or deconvolution.")
    String task;

    @Option(names = "--images", required = true, description = "Folder of clean training images (TIFF, PNG).")
    Path images;

    @Option(names = {"-o", "--out"}, required = true, description = "Model file to write (.lpnp.zip).")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Option(names = "--name", description = "Model name (default: the output file name).")
    String name;

    @Option(names = "--angles", defaultValue = "60", description = "CT: angles over 180 degrees (default ${DEFAULT-VALUE}).")
    int angles;

    @Option(names = "--ct-size", defaultValue = "128", description = "CT: image tile side (default ${DEFAULT-VALUE}).")
    int ctSize;

    @Option(names = "--noise", defaultValue = "0.01",
            description = "Gaussian noise: CT relative to the sinogram maximum, deconvolution on [0,1] (default ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--psf-sigma", defaultValue = "2", description = "Deconvolution: Gaussian PSF sigma in pixels (default ${DEFAULT-VALUE}).")
    double psfSigma;

    @Option(names = "--width", defaultValue = "16", description = "Feature channels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--depth", defaultValue = "4", description = "Gradient-step blocks (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--kernel", defaultValue = "3", description = "Kernel size (default ${DEFAULT-VALUE}).")
    int kernel;

    @Option(names = "--tau", defaultValue = "0.9", description = "Step-size factor in (0,1] (default ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--patch", defaultValue = "48", description = "Patch side (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--batch", defaultValue = "16", description = "Clean and bad patches per step, each (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "1500", description = "Adam steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validate-every", defaultValue = "100", description = "Steps between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && !force) {
            throw new UserInputException("output " + out + " exists: choose another --out or add --force");
        }
        Artefacts.Task t;
        try {
            t = Artefacts.Task.parse(task);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        Activation.parse("relu");
        List<PatchSampler.Image2D> all = TrainCommand.loadFolder(images, patch);
        if (all.size() < 2) {
            throw new UserInputException("need at least 2 images in " + images + " to hold one out for validation");
        }
        List<PatchSampler.Image2D> train = new ArrayList<>();
        List<PatchSampler.Image2D> val = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 6 == 5 || (all.size() < 6 && i == all.size() - 1) ? val : train).add(all.get(i));
        }
        Artefacts.Settings settings = new Artefacts.Settings(t, angles, ctSize, noise, psfSigma);
        long s0 = System.nanoTime();
        common.say("simulating acquisitions and bad reconstructions: " + settings.describe());
        Artefacts.Pairs trainPairs = Artefacts.make(train, settings, seed);
        Artefacts.Pairs valPairs = Artefacts.make(val, settings, seed + 1000);
        double simSeconds = (System.nanoTime() - s0) / 1e9;
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, width, width, depth, kernel, "relu", tau, false);
        String modelName = name != null ? name : out.getFileName().toString().replaceAll("\\.lpnp\\.zip$|\\.zip$", "");
        RegulariserTrainer.Config config = new RegulariserTrainer.Config(modelName, arch, settings, patch, batch, steps,
                lr, seed, validateEvery);
        common.say(String.format(Locale.ROOT, "training regulariser '%s' for %s: %d training / %d validation pairs "
                + "(%.0f s to simulate), width %d, depth %d, %d steps of 2 x %d x %d^2", modelName, t.key(),
                trainPairs.clean().size(), valPairs.clean().size(), simSeconds, width, depth, steps, batch, patch));
        ProgressBar bar = new ProgressBar("train", common.quiet);
        RegulariserTrainer.Result result;
        try {
            result = new RegulariserTrainer(config, common.device()).train(trainPairs, valPairs, p -> {
                bar.update(p.step(), p.steps(), String.format(Locale.ROOT, "loss %.4f val gap %.4f",
                        p.loss(), p.validationGap()));
                if (!common.quiet && p.step() % Math.max(1, validateEvery) == 0) {
                    System.err.printf(Locale.ROOT, "step %d/%d loss %.5f validation gap %.5f %.0f s%n", p.step(),
                            p.steps(), p.loss(), p.validationGap(), p.elapsedSeconds());
                }
                return true;
            });
        } catch (CancellationException e) {
            common.say("stopped: " + e.getMessage());
            return 130;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("command", "lpnp train-regulariser --task " + t.key() + " --images " + images + " --angles " + angles
                + " --ct-size " + ctSize + " --noise " + noise + " --psf-sigma " + psfSigma + " --width " + width
                + " --depth " + depth + " --kernel " + kernel + " --tau " + tau + " --patch " + patch + " --batch "
                + batch + " --steps " + steps + " --lr " + lr + " --seed " + seed);
        extra.put("images", images.toString());
        extra.put("simulation_seconds", simSeconds);
        RegulariserModel model = result.model().withTrainingInfo(extra);
        model.save(out);
        common.say(String.format(Locale.ROOT, "wrote %s: validation gap %.4f (pair distance %.4f), certified bound %.6f, "
                        + "empirical %.4f, %.0f s of training", out, result.validationGap(), result.validationDistance(),
                model.certificate().certifiedBound(), model.certificate().empiricalLowerBound(), result.seconds()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", out.toString());
        json.put("task", t.key());
        json.put("validation_gap", result.validationGap());
        json.put("pair_distance", result.validationDistance());
        json.putAll(model.certificateSummary());
        json.put("seconds", result.seconds());
        common.finish(json, System.out);
        model.close();
        return 0;
    }
}
