package io.github.lipschitzpnp.model;

import ai.djl.Device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pretrained models shipped inside the jar under {@code /models/}, listed in
 * {@code /models/index.txt} (one file name per line). A model is named by its file name without
 * {@code .lpnp.zip}. Every load re-certifies, exactly as for a file from a stranger.
 */
public final class BundledModels {

    private static final String ROOT = "/models/";

    /** The denoiser that one-pass denoising uses when none is named (lpnp denoise, Fiji, Spark). */
    public static final String DEFAULT_DENOISER = "gauss15";

    private BundledModels() {
    }

    /**
     * Names of the bundled denoisers, in index order (what PnP methods and the Fiji model choosers
     * offer). {@link #allNames()} also lists the regularisers.
     */
    public static List<String> names() {
        return names(ModelSpec.KIND_DENOISER);
    }

    /** Names of the bundled learned regularisers (kind {@value ModelSpec#KIND_REGULARIZER}), in index order. */
    public static List<String> regularisers() {
        return names(ModelSpec.KIND_REGULARIZER);
    }

    /** Names of the bundled models of one kind, in index order. */
    public static List<String> names(String kind) {
        List<String> out = new ArrayList<>();
        for (String[] e : index()) {
            if (e[1].equals(kind)) {
                out.add(e[0]);
            }
        }
        return out;
    }

    /** Every bundled model, denoisers and regularisers, in index order. */
    public static List<String> allNames() {
        List<String> out = new ArrayList<>();
        for (String[] e : index()) {
            out.add(e[0]);
        }
        return out;
    }

    /** The kind the index gives a bundled model, or null when there is no such model. */
    public static String kind(String name) {
        for (String[] e : index()) {
            if (e[0].equals(name)) {
                return e[1];
            }
        }
        return null;
    }

    /**
     * The index: one model per line, {@code FILE.lpnp.zip [KIND]}; the kind defaults to
     * {@value ModelSpec#KIND_DENOISER} (the format before regularisers existed). Each entry is
     * {name, kind}.
     */
    private static List<String[]> index() {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = BundledModels.class.getResourceAsStream(ROOT + "index.txt")) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s+");
                String kind = parts.length > 1 ? parts[1] : ModelSpec.KIND_DENOISER;
                out.add(new String[] {parts[0].replaceAll("\\.lpnp\\.zip$", ""), kind});
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled model index", e);
        }
        return out;
    }

    /** The raw archive of a bundled model. */
    public static ModelArchive archive(String name) throws ModelFileException {
        if (!allNames().contains(name)) {
            throw new ModelFileException("no bundled model named '" + name + "'; bundled models: " + allNames());
        }
        try (InputStream in = BundledModels.class.getResourceAsStream(ROOT + name + ".lpnp.zip")) {
            if (in == null) {
                throw new ModelFileException("bundled model '" + name + "' is listed but missing from the jar");
            }
            return ModelArchive.read(in, "bundled:" + name);
        } catch (IOException e) {
            throw new ModelFileException("cannot read bundled model '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model given as a bundled model's name or a path to a {@code .lpnp.zip} file.
     * Either way it is validated and re-certified.
     */
    public static DenoiserModel load(String nameOrPath, Device device) throws ModelFileException {
        if (allNames().contains(nameOrPath)) {
            return DenoiserModel.load(archive(nameOrPath), "bundled:" + nameOrPath, device);
        }
        Path p = Path.of(nameOrPath);
        if (!Files.exists(p) && !nameOrPath.contains("/") && !nameOrPath.endsWith(".zip")) {
            throw new ModelFileException("'" + nameOrPath + "' is neither a bundled model " + names()
                    + " nor an existing model file");
        }
        return DenoiserModel.load(p, device);
    }

    /** The default model for PnP: the bundled model trained for the noise level closest to {@code sigma}. */
    public static String closestTo(double sigma) throws ModelFileException {
        String best = null;
        double bestGap = Double.POSITIVE_INFINITY;
        for (String n : names()) {
            ModelSpec s = archive(n).spec();
            if (!"denoiser".equals(s.kind()) || !"gaussian".equals(s.noise().model())) {
                continue;
            }
            double gap = Math.abs(Math.log(s.noise().sigma() / sigma));
            if (gap < bestGap) {
                bestGap = gap;
                best = n;
            }
        }
        if (best == null) {
            throw new ModelFileException("no bundled Gaussian denoiser in this build");
        }
        return best;
    }

    /**
     * Loads a learned regulariser given as a bundled model's name or a path to a {@code .lpnp.zip}
     * file; validated and re-certified. A denoiser is refused with a message saying so.
     */
    public static RegulariserModel loadRegulariser(String nameOrPath, Device device) throws ModelFileException {
        if (allNames().contains(nameOrPath)) {
            return RegulariserModel.load(archive(nameOrPath), "bundled:" + nameOrPath, device);
        }
        Path p = Path.of(nameOrPath);
        if (!Files.exists(p) && !nameOrPath.contains("/") && !nameOrPath.endsWith(".zip")) {
            throw new ModelFileException("'" + nameOrPath + "' is neither a bundled regulariser " + regularisers()
                    + " nor an existing model file");
        }
        return RegulariserModel.load(p, device);
    }
}
