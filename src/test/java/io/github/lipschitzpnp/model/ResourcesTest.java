package io.github.lipschitzpnp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.bench.MemorySoak;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Method;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Long runs and parallel runs with a real DJL network denoiser (untrained, certified, small so
 * that hundreds of iterations take seconds): memory stays flat over
 * hundreds of PnP iterations and tiles, and two reconstructions at once give exactly the
 * sequential results. The full-size figures (10,000 iterations, 1,000 tiles) come from
 * {@link MemorySoak#main} and are in docs/reliability.md.
 */
class ResourcesTest {

    static DenoiserModel model;

    @BeforeAll
    static void load() throws Exception {
        model = MemorySoak.smallNetwork(8, 4);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void twoHundredIterationsAndAHundredTilesKeepMemoryFlat() {
        Map<String, Object> r = MemorySoak.run(model, 200, 100);
        System.out.println("memory soak: " + r);
        assertEquals(200, r.get("pnp_iterations"), "no early stop: " + r);
        assertEquals(true, r.get("pnp_finite"));
        assertTrue((int) r.get("tiles") >= 100);
        double rssGrowth = (double) r.get("rss_after_tiles_mb") - (double) r.get("rss_start_mb");
        double heapGrowth = (double) r.get("heap_after_tiles_mb") - (double) r.get("heap_start_mb");
        // A leak of the network's feature maps (tens of KB per call) would add hundreds of MB here.
        assertTrue(rssGrowth < 64, "resident memory grew by " + rssGrowth + " MB: " + r);
        assertTrue(heapGrowth < 16, "heap grew by " + heapGrowth + " MB: " + r);
    }

    static Img<FloatType> image(int seed) {
        float[] d = new float[40 * 40];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.5 + 0.3 * Math.sin((i % 40) * 0.2 * seed) * Math.cos((i / 40) * 0.17));
        }
        return ArrayImgs.floats(d, 40, 40);
    }

    static float[] reconstruct(Img<FloatType> img) {
        Reconstruction.Settings s = new Reconstruction.Settings(Method.PNP_PGD, 10, 0, 0.01);
        return FloatImages.data(Reconstruction.deconvolve(img, Psf.gaussian2D(1.2, 7), Boundary.REFLECTIVE, s,
                new NetworkDenoiser(model), null, null).image()).clone();
    }

    @Test
    void twoReconstructionsAtOnceGiveTheSequentialResults() throws Exception {
        Img<FloatType> a = image(1);
        Img<FloatType> b = image(2);
        float[] seqA = reconstruct(a);
        float[] seqB = reconstruct(b);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2; round++) {
                Future<float[]> fa = pool.submit(() -> reconstruct(a));
                Future<float[]> fb = pool.submit(() -> reconstruct(b));
                assertArrayEquals(seqA, fa.get(120, TimeUnit.SECONDS));
                assertArrayEquals(seqB, fb.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
