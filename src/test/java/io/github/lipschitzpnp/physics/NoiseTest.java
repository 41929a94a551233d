package io.github.lipschitzpnp.physics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

class NoiseTest {

    private static double[] meanVar(float[] a, float[] base) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m += a[i] - base[i];
        }
        m /= a.length;
        double v = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - base[i] - m;
            v += d * d;
        }
        return new double[] {m, v / (a.length - 1)};
    }

    private static Img<FloatType> constant(float value, int n) {
        float[] d = new float[n];
        Arrays.fill(d, value);
        return FloatImages.wrap(d, n);
    }

    @Test
    void gaussianStatisticsAndSeeding() {
        Img<FloatType> x = TestImages.uniform(3, 200, 100);
        float[] x0 = FloatImages.copyData(x);
        Img<FloatType> y = Noise.gaussian(x, 0.1, 9);
        assertArrayEquals(x0, FloatImages.data(x), "input untouched");
        double[] mv = meanVar(FloatImages.data(y), x0);
        assertEquals(0, mv[0], 0.005); // standard error 0.1 / sqrt(20000) = 7e-4
        assertEquals(0.01, mv[1], 0.0005);
        assertArrayEquals(FloatImages.data(y), FloatImages.data(Noise.gaussian(x, 0.1, 9)));
        assertFalse(Arrays.equals(FloatImages.data(y), FloatImages.data(Noise.gaussian(x, 0.1, 10))));
    }

    @Test
    void poissonMeanAndVariance() {
        // small (inversion) and large (rejection) rates; variance of y = x / photons
        for (double lambda : new double[] {0.3, 4.0, 25.0, 400.0}) {
            int n = 40000;
            double photons = 10;
            Img<FloatType> x = constant((float) (lambda / photons), n);
            float[] y = FloatImages.data(Noise.poisson(x, photons, 1));
            double[] mv = meanVar(y, new float[n]);
            double mean = lambda / photons, var = lambda / (photons * photons);
            assertEquals(mean, mv[0], 5 * Math.sqrt(var / n), "mean at lambda " + lambda);
            assertEquals(var, mv[1], 0.05 * var, "variance at lambda " + lambda);
            for (float v : y) {
                double k = v * photons;
                assertEquals(Math.rint(k), k, 1e-3, "counts are integers");
            }
        }
    }

    @Test
    void poissonProbabilitiesAtLargeRate() {
        // the rejection sampler must reproduce the distribution, not only its moments
        double lambda = 30;
        int n = 200000;
        int[] hist = new int[200];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < n; i++) {
            hist[(int) Noise.poissonSample(lambda, r)]++;
        }
        for (int k : new int[] {20, 25, 30, 35, 40}) {
            double p = Math.exp(-lambda + k * Math.log(lambda) - Noise.logFactorial(k));
            assertEquals(p, hist[k] / (double) n, 5 * Math.sqrt(p / n) + 1e-4, "P(" + k + ")");
        }
    }

    @Test
    void mixedAndErrors() {
        int n = 40000;
        Img<FloatType> x = constant(2f, n);
        float[] x0 = FloatImages.copyData(x);
        double[] mv = meanVar(FloatImages.data(Noise.poissonGaussian(x, 50, 0.05, 2)), new float[n]);
        assertArrayEquals(x0, FloatImages.data(x), "input untouched");
        assertArrayEquals(FloatImages.data(Noise.poissonGaussian(x, 50, 0.05, 2)),
                FloatImages.data(Noise.poissonGaussian(x, 50, 0.05, 2)), "same seed, same noise");
        assertEquals(2, mv[0], 0.005);
        assertEquals(2.0 / 50 + 0.0025, mv[1], 0.05 * (2.0 / 50 + 0.0025));
        assertThrows(IllegalArgumentException.class, () -> Noise.poisson(x, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Noise.gaussian(x, -1, 1));
        // Stirling branch against the exact sum
        double exact = 0;
        for (int i = 2; i <= 57; i++) {
            exact += Math.log(i);
        }
        assertEquals(exact, Noise.logFactorial(57), 1e-9);
    }
}
