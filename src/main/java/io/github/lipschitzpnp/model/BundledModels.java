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

    private BundledModels() {
    }

    /** Names of the bundled models, in index order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        try (InputStream in = BundledModels.class.getResourceAsStream(ROOT + "index.txt")) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t.replaceAll("\\.lpnp\\.zip$", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled model index", e);
        }
        return out;
    }

    /** The raw archive of a bundled model. */
    public static ModelArchive archive(String name) throws ModelFileException {
        if (!names().contains(name)) {
            throw new ModelFileException("no bundled model named '" + name + "'; bundled models: " + names());
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
        if (names().contains(nameOrPath)) {
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
}
