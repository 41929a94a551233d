package io.github.lipschitzpnp.bench;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.Tiling;
import io.github.lipschitzpnp.model.BundledModels;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.nn.LipschitzResNet;
import io.github.lipschitzpnp.train.NoiseModel;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Long runs in one process, to check that native (DJL) and heap memory stay flat: many PnP-PGD
 * iterations with a bundled network denoiser on a small deblurring problem, then many tiles of
 * tiled network denoising. Reports resident memory (VmRSS from /proc/self/status) and the heap in
 * use after a GC, at the start (after a warm-up) and after each phase.
 *
 * <p>{@code java -cp ... io.github.lipschitzpnp.bench.MemorySoak [ITERATIONS] [TILES] [MODEL]}
 * prints one JSON object (defaults 10000, 1000, small: an untrained width-8, depth-4 network; or a
 * bundled model's name).
 */
public final class MemorySoak {

    private MemorySoak() {
    }

    /** Resident memory of this process in bytes (VmRSS), or -1 where /proc is not available. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Heap in use after a (requested) full GC, in bytes. */
    public static long heapBytes() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return r.totalMemory() - r.freeMemory();
    }

    static Img<FloatType> smooth(int w, int h) {
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (float) (0.5 + 0.3 * Math.sin(x * 0.31) * Math.cos(y * 0.23));
            }
        }
        return ArrayImgs.floats(d, w, h);
    }

    /**
     * Runs {@code iterations} PnP-PGD iterations (32 x 32, tolerance 0 so none stops early) and at
     * least {@code tiles} tiles of 16 x 16 through the model, and returns the figures.
     */
    public static Map<String, Object> run(DenoiserModel model, int iterations, int tiles) {
        NetworkDenoiser d = new NetworkDenoiser(model);
        Img<FloatType> img = smooth(32, 32);
        Img<FloatType> psf = Psf.gaussian2D(1.0, 7);
        Reconstruction.Settings warm = new Reconstruction.Settings(Method.PNP_PGD, 50, 0, 0.01);
        Reconstruction.deconvolve(img, psf, Boundary.REFLECTIVE, warm, d, null, null);
        Tiling tiling = new Tiling(new long[] {16, 16}, new long[] {4, 4});
        Img<FloatType> tiled = smooth(60, 60);
        tiling.apply(tiled, t -> d.denoise(t));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.spec().name());
        long rss0 = residentBytes();
        long heap0 = heapBytes();
        long t0 = System.nanoTime();
        Reconstruction.Outcome o = Reconstruction.deconvolve(img, psf, Boundary.REFLECTIVE,
                new Reconstruction.Settings(Method.PNP_PGD, iterations, 0, 0.01), d, null, null);
        double pnpSeconds = (System.nanoTime() - t0) / 1e9;
        long rss1 = residentBytes();
        long heap1 = heapBytes();
        int perImage = tiling.tileCount(tiled);
        int done = 0;
        t0 = System.nanoTime();
        while (done < tiles) {
            tiling.apply(tiled, t -> d.denoise(t));
            done += perImage;
        }
        double tileSeconds = (System.nanoTime() - t0) / 1e9;
        long rss2 = residentBytes();
        long heap2 = heapBytes();
        out.put("pnp_iterations", o.result().iterations());
        out.put("pnp_stop", o.result().stopReason().toString());
        out.put("pnp_finite", io.github.lipschitzpnp.solve.Vec.isFinite(FloatImages.data(o.image())));
        out.put("pnp_seconds", pnpSeconds);
        out.put("tiles", done);
        out.put("tile_seconds", tileSeconds);
        out.put("rss_start_mb", rss0 / 1048576.0);
        out.put("rss_after_pnp_mb", rss1 / 1048576.0);
        out.put("rss_after_tiles_mb", rss2 / 1048576.0);
        out.put("heap_start_mb", heap0 / 1048576.0);
        out.put("heap_after_pnp_mb", heap1 / 1048576.0);
        out.put("heap_after_tiles_mb", heap2 / 1048576.0);
        return out;
    }

    /**
     * A freshly initialised (untrained) certified network of the given width and depth: the same
     * DJL code paths as a trained model, at a size that runs thousands of iterations in a minute.
     */
    public static DenoiserModel smallNetwork(int width, int depth) throws io.github.lipschitzpnp.model.ModelFileException {
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, width, width, depth, 3, "relu", 0.9, true);
        LipschitzResNet net = DenoiserModel.buildNetwork(arch);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            return DenoiserModel.certifyTrained("random-w" + width + "-d" + depth, arch, NoiseModel.gaussian(0.05),
                    Map.of(), Map.of(), net, m, Device.cpu());
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int tiles = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        String name = args.length > 2 ? args[2] : "small";
        try (DenoiserModel m = name.equals("small") ? smallNetwork(8, 4) : BundledModels.load(name, Device.cpu())) {
            System.out.println(new com.google.gson.Gson().toJson(run(m, iterations, tiles)));
        }
    }
}
