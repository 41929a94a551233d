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

    /** The default choice: the first bundled model, else "from file...". */
    public static String defaultChoice() {
        return choices().get(0);
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
