package io.github.lipschitzpnp.baseline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.Vec;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineDenoisersTest {

    private static final int W = 23;
    private static final int H = 19;

    private static float[] fixture(String name) throws IOException {
        try (InputStream in = BaselineDenoisersTest.class.getResourceAsStream("/fixtures/filters/" + name)) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
    }

    @Test
    void gaussianFilterMatchesScikitImage() throws IOException {
        Img<FloatType> x = FloatImages.wrap(fixture("input.f32"), W, H);
        float[] expected = fixture("gaussian_s1.3.f32");
        float[] got = FloatImages.data(new GaussianFilter(1.3).denoise(x));
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-5, "pixel " + i);
        }
    }

    @Test
    void medianFilterMatchesSciPyAwayFromTheEdges() throws IOException {
        float[] in = fixture("input.f32");
        Img<FloatType> x = FloatImages.wrap(in, W, H);
        float[] before = in.clone();
        float[] expected = fixture("median_r2_interior.f32");
        float[] got = FloatImages.data(new MedianFilter(2).denoise(x));
        int compared = 0;
        for (int y = 2; y < H - 2; y++) {
            for (int xx = 2; xx < W - 2; xx++) {
                assertEquals(expected[y * W + xx], got[y * W + xx], 0f, "pixel " + xx + "," + y);
                compared++;
            }
        }
        assertEquals(19 * 15, compared);
        assertTrue(java.util.Arrays.equals(before, FloatImages.data(x)), "input untouched");
    }

    @Test
    void classicalDenoisersWithABoundAreNonExpansiveOnRandomPairs() {
        Random r = new Random(3);
        for (Denoiser d : List.of(new GaussianFilter(0.8), new GaussianFilter(2.5), new TvDenoiser(0.05, 300),
                new TvDenoiser(0.3, 300))) {
            assertEquals(1.0, d.lipschitzBound());
            for (int k = 0; k < 3; k++) {
                float[] a = new float[32 * 28];
                float[] b = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextFloat();
                    b[i] = a[i] + 0.1f * (float) r.nextGaussian();
                }
                float[] da = FloatImages.data(d.denoise(FloatImages.wrap(a, 32, 28)));
                float[] db = FloatImages.data(d.denoise(FloatImages.wrap(b, 32, 28)));
                double ratio = Vec.distance(da, db) / Vec.distance(a, b);
                assertTrue(ratio <= 1 + 1e-3, d.describe() + ": ratio " + ratio);
                assertTrue(ratio < 0.999, d.describe() + " smooths: ratio " + ratio);
            }
        }
    }

    @Test
    void tvDenoisingFlattensAStepLessThanItsHeight() {
        // ROF on a 1D-like step of height 1 over n pixels per side: the solution is a step of height
        // 1 - 2 weight / n per row (each plateau moves by weight / n), for weight small enough.
        int w = 20;
        int h = 6;
        float[] x = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int xx = w / 2; xx < w; xx++) {
                x[y * w + xx] = 1f;
            }
        }
        float[] out = FloatImages.data(new TvDenoiser(1.0, 3000).denoise(FloatImages.wrap(x, w, h)));
        double expectedHeight = 1 - 2 * 1.0 / (w / 2);
        assertEquals(expectedHeight, out[w - 1] - out[0], 2e-3);
        assertEquals(0.5, (out[w - 1] + out[0]) / 2, 2e-3);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianFilter(0));
        assertThrows(IllegalArgumentException.class, () -> new MedianFilter(0));
    }
}
