package io.github.lipschitzpnp.model;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Tiling;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkDenoiserTilingTest {

    @Test
    void balancedTilesCoverWithNoMoreTilesAndLessWork() {
        long overlap = 20;
        for (long n = 1; n <= 5000; n += 7) {
            long t = NetworkDenoiser.balancedTileSide(n, 512, overlap);
            assertTrue(t <= 512 && t > 2 * overlap, "tile side " + t + " for " + n);
            if (n <= 512) {
                assertEquals(512, t);
                continue;
            }
            int balanced = Tiling.of(t, overlap).tileCount(n, 1);
            int full = Tiling.of(512, overlap).tileCount(n, 1);
            assertTrue(balanced <= full, n + ": " + balanced + " tiles vs " + full);
            assertTrue(balanced * t <= full * 512L, n + ": more work than full tiles");
            // every pixel is covered: the last tile ends at the image's end, consecutive tiles overlap
            long[] covered = new long[(int) n];
            for (var iv : Tiling.of(t, overlap).tiles(n, 1)) {
                for (long i = iv.min(0); i <= iv.max(0); i++) {
                    covered[(int) i]++;
                }
            }
            for (long c : covered) {
                assertTrue(c >= 1, "uncovered pixel for n = " + n);
            }
        }
        assertEquals(355, NetworkDenoiser.balancedTileSide(1024, 512, 20));
        assertEquals(426, NetworkDenoiser.balancedTileSide(2048, 512, 20));
    }

    @Test
    void aCoarseBlockModelTilesExactlyOnEvenPixels() throws Exception {
        ai.djl.engine.Engine.getInstance().setRandomSeed(3);
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, 4, 4, 4, 3, "relu", 0.9, true, 2, false);
        assertEquals(2, arch.cell());
        // fine: lift, 2 x 2 convolutions, projection = 6; coarse: 2 x 2 convolutions of 2 pixels = 8; cell 1
        assertEquals(15, NetworkDenoiser.receptiveRadius(arch));
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            io.github.lipschitzpnp.nn.LipschitzResNet net = DenoiserModel.buildNetwork(arch);
            net.setInitializer((mm, sh, t) -> mm.randomNormal(0f, 0.3f, sh, t), ai.djl.nn.Parameter.Type.BIAS);
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 32, 32));
            try (DenoiserModel model = DenoiserModel.certifyTrained("coarse", arch,
                    io.github.lipschitzpnp.train.NoiseModel.gaussian(0.1), java.util.Map.of(), java.util.Map.of(), net,
                    m, Device.cpu())) {
                assertTrue(model.certificate().certifiedBound() <= 1 + 1e-3, model.certificate().toString());
                float[] noise = new float[151 * 129];
                java.util.SplittableRandom r = new java.util.SplittableRandom(5);
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) r.nextDouble();
                }
                Img<FloatType> x = FloatImages.wrap(noise, 151, 129);
                NetworkDenoiser whole = new NetworkDenoiser(model);
                NetworkDenoiser tiled = new NetworkDenoiser(model, 64);
                assertTrue(tiled.tileCount(151, 129) >= 9, "tiles: " + tiled.tileCount(151, 129));
                assertTiledEqualsWhole(whole, tiled, x);
            }
        }
    }

    @Test
    void tiledDenoisingEqualsWholeImageDenoisingOfARealImage() throws Exception {
        Img<FloatType> camera = ImageFiles.read(Path.of("sample-images/eval/camera_512.png")).image();
        // A 150 x 130 crop in [0, 1] (the shipped models' range), tiles of at most 64: 4 x 3 tiles.
        Img<FloatType> x = FloatImages.copy(Views.zeroMin(Views.interval(camera, new long[] {200, 150},
                new long[] {349, 279})));
        float[] v = FloatImages.data(x);
        for (int i = 0; i < v.length; i++) {
            v[i] /= 255f;
        }
        try (DenoiserModel model = BundledModels.load("gauss15", Device.cpu())) {
            NetworkDenoiser whole = new NetworkDenoiser(model);
            NetworkDenoiser tiled = new NetworkDenoiser(model, 64);
            assertEquals(1, whole.tileCount(150, 130));
            assertTrue(tiled.tileCount(150, 130) >= 9, "tiles: " + tiled.tileCount(150, 130));
            assertTiledEqualsWhole(whole, tiled, x);
        }
    }

    /** Tiled and whole-image results agree to 1e-4, and the network does change the image. */
    private static void assertTiledEqualsWhole(NetworkDenoiser whole, NetworkDenoiser tiled, Img<FloatType> x) {
        float[] a = FloatImages.copyData(whole.denoise(x));
        float[] b = FloatImages.copyData(tiled.denoise(x));
        float[] in = FloatImages.data(x);
        double maxDiff = 0;
        double change = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            change = Math.max(change, Math.abs(a[i] - in[i]));
        }
        assertTrue(change > 0.01, "the network changes the image: " + change);
        assertTrue(maxDiff <= 1e-4, "tiled and whole-image results differ by " + maxDiff);
    }
}
