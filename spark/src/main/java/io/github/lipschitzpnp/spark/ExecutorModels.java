package io.github.lipschitzpnp.spark;

import ai.djl.Device;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.nn.DeviceChoice;
import io.github.lipschitzpnp.solve.Denoiser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-JVM model cache on the executors: each model (by SHA-256 and device choice) is loaded, validated and
 * re-certified once per executor JVM, then shared by every task that JVM runs. Inference on the
 * shared model is serialised ({@link NetworkDenoiser} is synchronised), so tasks in one executor
 * overlap their I/O and solver arithmetic but not their network passes; PyTorch's own threads
 * ({@code ai.djl.pytorch.num_threads}) parallelise each pass.
 */
public final class ExecutorModels {

    private static final Map<String, NetworkDenoiser> CACHE = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (NetworkDenoiser d : CACHE.values()) {
                d.model().close();
            }
        }, "lpnp-model-cache-close"));
    }

    private ExecutorModels() {
    }

    /**
     * The certified network for this source, loaded on first use in this JVM. Blocks larger than
     * {@code 512} pixels on a side are tiled inside the network denoiser as in a local run.
     */
    public static NetworkDenoiser denoiser(ModelSource source) throws ModelFileException {
        String key = source.sha256() + "@" + source.device();
        NetworkDenoiser d = CACHE.get(key);
        if (d != null) {
            return d;
        }
        synchronized (ExecutorModels.class) {
            d = CACHE.get(key);
            if (d == null) {
                System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
                Device device = DeviceChoice.parse(source.device()).resolve();
                DenoiserModel m = DenoiserModel.load(source.archive(), source.origin(), device);
                LOADS.incrementAndGet();
                d = new NetworkDenoiser(m);
                CACHE.put(key, d);
            }
            return d;
        }
    }

    /** A denoiser for a block: the cached model, without tiling below {@code maxSide} pixels a side. */
    public static Denoiser untiled(ModelSource source, long maxSide) throws ModelFileException {
        NetworkDenoiser shared = denoiser(source);
        if (maxSide <= 512) {
            return shared;
        }
        NetworkDenoiser wide = new NetworkDenoiser(shared.model(), maxSide);
        return new Denoiser() { // serialise on the shared instance, like every other use of the model
            @Override
            public net.imglib2.img.Img<net.imglib2.type.numeric.real.FloatType> denoise(
                    net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> x) {
                synchronized (shared) {
                    return wide.denoise(x);
                }
            }

            @Override
            public double lipschitzBound() {
                return wide.lipschitzBound();
            }

            @Override
            public String describe() {
                return wide.describe();
            }
        };
    }

    /** How many models this JVM has loaded (and certified) so far. */
    public static int loads() {
        return LOADS.get();
    }
}
