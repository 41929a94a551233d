package io.github.lipschitzpnp.fiji;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.nn.LipschitzResNet;
import io.github.lipschitzpnp.train.NoiseModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tiny 2D model (random initial weights, no training; certified when loaded) saved to a file: the bundled
 * model list is empty in this build, and the commands only need some certified 1-Lipschitz network.
 */
public final class TinyModel {

    private static Path file;

    private TinyModel() {
    }

    public static synchronized Path file() throws Exception {
        if (file != null) {
            return file;
        }
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, 4, 4, 2, 3, "relu", 0.9, true);
        LipschitzResNet net = DenoiserModel.buildNetwork(arch);
        Path dir = Files.createTempDirectory("lpnp-fiji-test");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            // Written without a stored certificate: every load (in the commands) recomputes it anyway.
            ModelSpec spec = new ModelSpec(null, 0, "tiny", "denoiser", arch,
                    DenoiserModel.noiseSpec(NoiseModel.gaussian(0.05)), Map.of("steps", 0), null, Map.of(), null);
            Path f = dir.resolve("tiny.lpnp.zip");
            ModelArchive.of(spec, DenoiserModel.parameterBytes(net)).write(f);
            file = f;
        }
        file.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return file;
    }
}
