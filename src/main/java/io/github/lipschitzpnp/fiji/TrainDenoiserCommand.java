package io.github.lipschitzpnp.fiji;

import ij.IJ;
import ij.ImagePlus;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.nn.DeviceChoice;
import io.github.lipschitzpnp.train.DenoiserTrainer;
import io.github.lipschitzpnp.train.NoiseModel;
import io.github.lipschitzpnp.train.PatchSampler;
import io.github.lipschitzpnp.train.TrainingImages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Trains a certified 1-Lipschitz denoiser on the planes of an open image (or the 2D images of a
 * folder): each plane is scaled to [0, 1]; the last plane (or the last image) is held out for
 * validation. A checkpoint next to the model file is written as training goes; Esc stops and keeps
 * it, and running again with "resume" continues. The model file is never overwritten.
 */
@Plugin(type = Command.class, menuPath = CommandSupport.MENU + "Train Denoiser (Lipschitz PnP)",
        label = "Train Denoiser (Lipschitz PnP)")
public class TrainDenoiserCommand extends ContextCommand {

    @Parameter(label = "Training images (planes of an open image)", required = false)
    ImagePlus images;

    @Parameter(label = "Or a folder of 2D TIFF/PNG images", required = false, style = "directory", persist = false)
    File folder;

    @Parameter(label = "Model file to write (.lpnp.zip)", style = "save")
    File output;

    @Parameter(label = "Noise sigma (on the [0, 1] scale)", min = "0.001", max = "0.5")
    double sigma = 0.05;

    @Parameter(label = "Width (channels)", min = "2")
    int width = 16;

    @Parameter(label = "Depth (blocks)", min = "1")
    int depth = 4;

    @Parameter(label = "Patch size", min = "8")
    int patch = 32;

    @Parameter(label = "Batch size", min = "1")
    int batch = 8;

    @Parameter(label = "Steps", min = "1")
    int steps = 500;

    @Parameter(label = "Learning rate", min = "0")
    double learningRate = 1e-3;

    @Parameter(label = "Seed")
    long seed = 1;

    @Parameter(label = "Contrast (smallest random factor; 1 = off)", min = "0.01", max = "1")
    double contrast = 0.25;

    @Parameter(label = "Activation", choices = {ACTIVATION_SHRINK, ACTIVATION_RELU})
    String activation = ACTIVATION_SHRINK;

    /** Learned-threshold clipping from 0.02, as the bundled models (docs/models.md). */
    static final String ACTIVATION_SHRINK = "shrink (learned thresholds)";
    static final String ACTIVATION_RELU = "relu";

    /** The architecture's activation text for a dialog choice. */
    static String activationKey(String choice) {
        if (choice == null || choice.startsWith("shrink")) {
            return "shrink:0.02";
        }
        if (choice.equals(ACTIVATION_RELU)) {
            return "relu";
        }
        throw new IllegalArgumentException("activation '" + choice + "': choose '" + ACTIVATION_SHRINK + "' or '"
                + ACTIVATION_RELU + "'");
    }

    @Parameter(label = "Resume from the checkpoint")
    boolean resume = false;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    String device = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Training report")
    String report;

    @Override
    public void run() {
        try {
            Models.keepDjlOffline();
            Path out = output.toPath();
            if (Files.exists(out)) {
                throw new IllegalArgumentException("model file " + out + " exists: choose another name (never overwritten)");
            }
            // Before any step: a model that cannot be written must not be found out after the training.
            io.github.lipschitzpnp.image.ImageFiles.checkWritable(out,
                    io.github.lipschitzpnp.image.ImageFiles.WriteOptions.noOverwrite());
            Path ckpt = out.resolveSibling(out.getFileName().toString().replaceAll("(\\.lpnp)?\\.zip$", "") + ".ckpt.zip");
            if (Files.exists(ckpt) && !resume) {
                throw new IllegalArgumentException("checkpoint " + ckpt + " exists from an earlier run: tick 'resume' "
                        + "to continue it, or delete it to start again");
            }
            List<PatchSampler.Image2D> all = folder != null && !folder.getPath().isBlank() ? fromFolder(folder.toPath(), patch)
                    : fromImage(CommandSupport.present(images));
            List<PatchSampler.Image2D> train = new ArrayList<>(all);
            List<PatchSampler.Image2D> val = new ArrayList<>();
            if (all.size() > 1) {
                val.add(train.remove(train.size() - 1));
            } else {
                val.addAll(all); // one image only: validation on it too (said in the report)
            }
            String name = out.getFileName().toString().replaceAll("\\.lpnp\\.zip$|\\.zip$", "");
            ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, width, width, depth, 3,
                    activationKey(activation), 0.9, true);
            DenoiserTrainer.Config config = new DenoiserTrainer.Config(name, arch, NoiseModel.gaussian(sigma), patch,
                    batch, steps, learningRate, seed, Math.max(1, Math.min(200, steps)), Math.max(1, Math.min(200, steps)),
                    contrast, 1.0);
            Feedback fb = new Feedback("Train Denoiser", 1);
            DenoiserTrainer.Result r;
            try {
                r = Models.withPluginClassLoader(() -> new DenoiserTrainer(config, DeviceChoice.parse(device).resolve())
                        .train(train, val, ckpt, p -> {
                            fb.step((double) p.step() / p.steps(), String.format(Locale.ROOT,
                                    "Train Denoiser: step %d/%d, loss %.3g, validation PSNR %.2f dB", p.step(),
                                    p.steps(), p.loss(), p.validationPsnr()));
                            return !fb.cancelled();
                        }));
            } catch (CancellationException e) {
                report = "stopped: " + e.getMessage() + "; the checkpoint " + ckpt + " is kept (tick 'resume' to go on)";
                fb.finish("Train Denoiser: stopped");
                cancel(report);
                return;
            }
            try (DenoiserModel model = r.model().withTrainingInfo(Map.of("command", "Fiji: Train Denoiser (Lipschitz PnP)",
                    "images", folder != null ? folder.toString() : images.getTitle()))) {
                model.save(out);
                Files.deleteIfExists(ckpt);
                report = String.format(Locale.ROOT, "wrote %s: %d training / %d validation images%s, validation PSNR "
                        + "%.2f dB (noisy %.2f dB), certified Lipschitz bound %.6f, %.0f s", out, train.size(),
                        val.size(), all.size() == 1 ? " (the same image)" : "", r.finalValidationPsnr(),
                        r.noisyValidationPsnr(), model.certificate().certifiedBound(), r.seconds());
            }
            fb.finish("Train Denoiser: done");
            if (!CommandSupport.headless()) {
                IJ.log(report);
            }
        } catch (IllegalArgumentException | IOException | ModelFileException e) {
            CommandSupport.reportError("Train Denoiser (Lipschitz PnP)", e.getMessage());
            cancel(e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException("training failed: " + e.getMessage(), e);
        }
    }

    static List<PatchSampler.Image2D> fromImage(ImagePlus imp) {
        Jobs.checkInput(imp, "training");
        List<PatchSampler.Image2D> out = new ArrayList<>();
        for (int t = 0; t < imp.getNFrames(); t++) {
            for (int c = 0; c < imp.getNChannels(); c++) {
                Img<FloatType> vol = ImagePlusBridge.extract(imp, c, t);
                for (int z = 0; z < imp.getNSlices(); z++) {
                    Img<FloatType> plane = FloatImages.plane(vol, z);
                    out.add(image2D(plane));
                }
            }
        }
        return out;
    }

    static List<PatchSampler.Image2D> fromFolder(Path dir, int patch) throws IOException {
        return TrainingImages.fromFolder(dir, patch);
    }

    private static PatchSampler.Image2D image2D(Img<FloatType> plane) {
        return TrainingImages.of(plane);
    }
}
