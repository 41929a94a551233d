package io.github.lipschitzpnp.spark;

import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model file's bytes and where they came from: what the driver broadcasts, so executors never
 * need the model file on their disks. The executors re-validate and re-certify on load
 * ({@link ExecutorModels}); the driver only checks the container here, to fail early.
 */
public final class ModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final byte[] bytes;
    private final String sha256;
    private final String device;

    private ModelSource(String origin, byte[] bytes, String device) {
        this.origin = origin;
        this.bytes = bytes;
        this.sha256 = ModelArchive.sha256(bytes);
        this.device = device;
    }

    /**
     * The same model for another device choice ({@code auto}, {@code cpu} or {@code gpu}, as
     * {@code --device}), resolved on each executor. Default: cpu.
     */
    public ModelSource onDevice(String choice) {
        io.github.lipschitzpnp.nn.DeviceChoice.parse(choice); // fail early on a typo
        return new ModelSource(origin, bytes, choice);
    }

    /** The device choice the executors resolve. */
    public String device() {
        return device;
    }

    /** A bundled model's name or a path to a {@code .lpnp.zip} file (as {@code lpnp denoise --model}). */
    public static ModelSource of(String nameOrPath) throws ModelFileException {
        ModelSource s;
        if (BundledModels.names().contains(nameOrPath)) {
            try (InputStream in = BundledModels.class.getResourceAsStream("/models/" + nameOrPath + ".lpnp.zip")) {
                if (in == null) {
                    throw new ModelFileException("bundled model '" + nameOrPath + "' is missing from the jar");
                }
                s = new ModelSource("bundled:" + nameOrPath, in.readAllBytes(), "cpu");
            } catch (IOException e) {
                throw new ModelFileException("cannot read bundled model '" + nameOrPath + "': " + e.getMessage(), e);
            }
        } else {
            Path p = Path.of(nameOrPath);
            if (!Files.isRegularFile(p)) {
                throw new ModelFileException("'" + nameOrPath + "' is neither a bundled model " + BundledModels.names()
                        + " nor an existing model file");
            }
            try {
                s = new ModelSource(p.toString(), Files.readAllBytes(p), "cpu");
            } catch (IOException e) {
                throw new ModelFileException("model file " + p + " cannot be read: " + e.getMessage(), e);
            }
        }
        s.archive(); // container and spec checks now, on the driver
        return s;
    }

    /** The parsed archive (validated container; the network is not built yet). */
    public ModelArchive archive() throws ModelFileException {
        return ModelArchive.read(new ByteArrayInputStream(bytes), origin);
    }

    public String origin() {
        return origin;
    }

    /** SHA-256 of the file: the executors' cache key. */
    public String sha256() {
        return sha256;
    }

    public int size() {
        return bytes.length;
    }
}
