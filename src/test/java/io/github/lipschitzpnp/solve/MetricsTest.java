package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** PSNR and SSIM against scikit-image 0.19.3 (fixtures from scripts/make_metric_fixtures.py) and by hand. */
class MetricsTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = MetricsTest.class.getResourceAsStream("/fixtures/metrics/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    static float[] floats(byte[] raw) {
        float[] f = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"smooth32", "offset40x48", "volume16x14x12"})
    void matchesScikitImage(String name) throws IOException {
        Map<String, String> meta = new HashMap<>();
        for (String line : new String(resource(name + ".txt"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int sp = line.indexOf(' ');
                meta.put(line.substring(0, sp), line.substring(sp + 1).trim());
            }
        }
        String[] d = meta.get("dims").split(" ");
        long[] dims = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            dims[i] = Long.parseLong(d[i]);
        }
        Img<FloatType> ref = FloatImages.wrap(floats(resource(name + ".ref.f32")), dims);
        Img<FloatType> test = FloatImages.wrap(floats(resource(name + ".test.f32")), dims);
        double range = Double.parseDouble(meta.get("data_range"));
        double psnr = Metrics.psnr(test, ref, range);
        double ssim = Metrics.ssim(test, ref, range);
        System.out.printf("%s: PSNR %.12f (skimage %s), SSIM %.12f (skimage %s)%n", name, psnr, meta.get("psnr"), ssim,
                meta.get("ssim"));
        assertEquals(Double.parseDouble(meta.get("psnr")), psnr, 1e-8); // measured: about 1e-12
        assertEquals(Double.parseDouble(meta.get("ssim")), ssim, 1e-8);
        // symmetric in its arguments, like skimage
        assertEquals(ssim, Metrics.ssim(ref, test, range), 1e-12);
    }

    @Test
    void handDerivableCases() {
        int n = 24;
        float[] x = TestOperators.phantom(n, n);
        Img<FloatType> a = FloatImages.wrap(x, n, n);
        assertEquals(1.0, Metrics.ssim(a, a, 1), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a, 1));
        // constant offset c: means differ by c, variances and covariance are unchanged, so each window has
        // S = (2 mu (mu + c) + C1) / (mu^2 + (mu + c)^2 + C1); for constant images mu is the constant itself
        float mu = 0.3f;
        float c = 0.2f;
        Img<FloatType> flat = FloatImages.wrap(Vec.filled(n * n, mu), n, n);
        Img<FloatType> shifted = FloatImages.wrap(Vec.filled(n * n, mu + c), n, n);
        double c1 = Math.pow(0.01, 2);
        double expected = (2.0 * mu * (mu + c) + c1) / ((double) mu * mu + (double) (mu + c) * (mu + c) + c1);
        assertEquals(expected, Metrics.ssim(shifted, flat, 1), 1e-6);
        // PSNR of a constant error e with range R: 10 log10(R^2 / e^2)
        assertEquals(10 * Math.log10(1 / (0.2 * 0.2)), Metrics.psnr(shifted, flat, 1), 1e-5);
        // default range comes from the reference
        assertEquals(Metrics.psnr(shifted, a, Metrics.range(x)), Metrics.psnr(shifted, a), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Metrics.ssim(FloatImages.create(8, 8),
                FloatImages.create(8, 8), 1));
        assertThrows(IllegalArgumentException.class, () -> Metrics.psnr(FloatImages.create(8, 8),
                FloatImages.create(8, 9), 1));
        assertTrue(Metrics.ssim(FloatImages.wrap(TestOperators.addNoise(x, 0.1, 1), n, n), a, 1) < 0.9);
    }

    @Test
    void vectorHelpers() {
        float[] x = {1, 2, 3};
        float[] y = {4, 5, 6};
        assertEquals(32, Vec.dot(x, y), 0);
        assertEquals(Math.sqrt(14), Vec.norm(x), 1e-12);
        float[] z = y.clone();
        Vec.axpy(2, x, z);
        assertEquals(6, z[0]);
        assertEquals(12, z[2]);
        assertEquals(Math.sqrt(27), Vec.distance(x, y), 1e-6);
        float[] s = Vec.scaled(-2, x);
        assertEquals(-6, s[2]);
        assertEquals(3, x[2]);
        float[] comb = Vec.combination(1, x, -1, y);
        assertEquals(-3, comb[1]);
        float[] c = {-1, Float.NaN, 2};
        Vec.clampNonNegative(c);
        assertEquals(0, c[0]);
        assertTrue(Float.isNaN(c[1]));
        assertTrue(!Vec.isFinite(c));
        assertThrows(IllegalArgumentException.class, () -> Vec.dot(x, new float[2]));
    }
    @Test
    void theSquaredErrorsOfSlicesGiveThePsnrOfTheWholeVolume() {
        java.util.Random rnd = new java.util.Random(3);
        float[] x = new float[10 * 9 * 4];
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (float) (rnd.nextDouble() * (i < 90 ? 0.5 : 2)); // slice 0 has a smaller range than the volume
            x[i] = r[i] + (float) (0.05 * rnd.nextGaussian());
        }
        Img<FloatType> xs = FloatImages.wrap(x, 10, 9, 4);
        Img<FloatType> rs = FloatImages.wrap(r, 10, 9, 4);
        Metrics.SquaredError sum = Metrics.SquaredError.NONE;
        for (int z = 3; z >= 0; z--) {
            sum = sum.plus(Metrics.SquaredError.of(FloatImages.plane(xs, z), FloatImages.plane(rs, z)));
        }
        assertEquals(360, sum.count());
        assertEquals(Metrics.psnr(xs, rs), sum.psnr(), 1e-9);
        assertEquals(Metrics.psnr(FloatImages.plane(xs, 0), FloatImages.plane(rs, 0)),
                Metrics.SquaredError.of(FloatImages.plane(xs, 0), FloatImages.plane(rs, 0)).psnr(), 1e-9);
        assertThrows(IllegalStateException.class, Metrics.SquaredError.NONE::psnr);
        assertThrows(IllegalArgumentException.class, () -> Metrics.SquaredError.of(xs, FloatImages.plane(rs, 0)));
    }
}
