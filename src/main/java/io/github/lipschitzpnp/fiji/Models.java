package io.github.lipschitzpnp.fiji;

import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.nn.DeviceChoice;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The model choice of the commands: bundled model names, then "from file...". */
public final class Models {

    /** The choice that reads the model from the file parameter. */
    public static final String FROM_FILE = "from file...";

    /**
     * The solvers' default choice: the bundled model closest to the noise level estimated on the
     * data, as lpnp deconvolve, inpaint and reconstruct pick it when no --model is given.
     */
    public static final String AUTO = "auto (by noise level)";

    private Models() {
    }

    /**
     * Nothing downloads at run time: unless the user set it otherwise, DJL runs offline (no
     * telemetry probe, no library download) inside Fiji and ImageJ too, where no launcher sets it.
     */
    public static void keepDjlOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /** Bundled model names, then {@link #FROM_FILE}. */
    public static List<String> choices() {
        List<String> out = new ArrayList<>(BundledModels.names());
        out.add(FROM_FILE);
        return out;
    }

    /**
     * The default choice of Denoise and Model Info: {@link BundledModels#DEFAULT_DENOISER} (the
     * default of lpnp denoise) when bundled, else the first bundled model, else "from file...".
     */
    public static String defaultChoice() {
        List<String> c = choices();
        return c.contains(BundledModels.DEFAULT_DENOISER) ? BundledModels.DEFAULT_DENOISER : c.get(0);
    }

    /** The choices of the solving commands: {@link #AUTO} (the default) when models are bundled, then {@link #choices()}. */
    public static List<String> solverChoices() {
        List<String> out = new ArrayList<>();
        if (!BundledModels.names().isEmpty()) {
            out.add(AUTO);
        }
        out.addAll(choices());
        return out;
    }

    /**
     * As {@link #open(String, File, String)}, where {@link #AUTO} opens the bundled model closest
     * to {@code noiseSigma} (computed only then: the noise level of the data on its [0, 1]
     * min..max scale, {@code NoiseLevel.estimateNormalized}) and logs the choice.
     */
    public static DenoiserModel open(String choice, File file, String device,
            java.util.function.DoubleSupplier noiseSigma) throws ModelFileException {
        if (choice == null || !choice.trim().equals(AUTO)) {
            return open(choice, file, device);
        }
        double sigma = noiseSigma.getAsDouble();
        String name = BundledModels.closestTo(sigma);
        ij.IJ.log(String.format(java.util.Locale.ROOT, "Lipschitz PnP: model %s (bundled, closest to the estimated "
                + "noise sigma %.4f)", name, sigma));
        return open(name, null, device);
    }

    /**
     * Opens (and re-certifies) the chosen model: a bundled name, {@link #FROM_FILE} with
     * {@code file}, or a path typed into the choice (from a macro).
     */
    public static DenoiserModel open(String choice, File file, String device) throws ModelFileException {
        keepDjlOffline();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Models.class.getClassLoader());
        try {
            return openHere(choice, file, device);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs {@code job} with this jar's class loader as the thread's context class loader: DJL finds
     * its engine (ServiceLoader) and native library through it, and inside ImageJ or Fiji plugins
     * are loaded by another loader than the thread's. The engine starts once, at the first use.
     */
    public static <T> T withPluginClassLoader(java.util.concurrent.Callable<T> job) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Models.class.getClassLoader());
        try {
            return job.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static DenoiserModel openHere(String choice, File file, String device) throws ModelFileException {
        String c = choice == null || choice.isBlank() ? FROM_FILE : choice.trim();
        if (c.equals(FROM_FILE)) {
            if (file == null || file.getPath().isBlank()) {
                throw new IllegalArgumentException("choose a model file (.lpnp.zip) or a bundled model"
                        + (BundledModels.names().isEmpty() ? " (this build bundles none yet)" : ""));
            }
            if (!file.isFile()) {
                throw new IllegalArgumentException("model file " + file + " does not exist");
            }
            c = file.getPath();
        }
        return BundledModels.load(c, DeviceChoice.parse(device == null ? "auto" : device).resolve());
    }
}
