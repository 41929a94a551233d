package io.github.lipschitzpnp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.solve.AveragedDenoiser;
import java.util.Random;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bundled denoiser is D = (1 - a) I + a N with its learned mix a and N certified 1-Lipschitz, so
 * it reports a as its certified averagedness, and the certified prior step I + (D - I)/(2a) is
 * (I + N)/2: checked on real image patches.
 */
class NetworkDenoiserAveragednessTest {

    @ParameterizedTest
    @ValueSource(strings = {"gauss5", "gauss50"})
    void averagednessIsTheMixAndItsRestIsNonExpansive(String name) throws Exception {
        try (DenoiserModel model = BundledModels.load(name, Device.cpu())) {
            NetworkDenoiser d = new NetworkDenoiser(model);
            double a = model.network().mixWeight();
            assertTrue(a > 0.3 && a < 0.9, name + " mix " + a);
            assertEquals(a, d.averagedness(), 0);
            assertEquals(a, new ScaledDenoiser(d, 1.7).averagedness(), 0, "strength keeps it");
            AveragedDenoiser step = AveragedDenoiser.certified(d);
            assertEquals(0.5 / a, step.step(), 1e-12);
            assertTrue(step.lipschitzBound() <= 1 + 1e-3, "bound " + step.lipschitzBound());
            // N = (D - (1 - a) I) / a must not expand distances between two noisy patches
            Img<FloatType> clean = io.github.lipschitzpnp.image.ImageFiles.read(java.nio.file.Path.of(
                    "sample-images", "eval", "ct_small_mu_128.tif")).image();
            float[] base = FloatImages.copyData(clean);
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float v : base) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            Random r = new Random(3);
            float[] x = new float[base.length];
            float[] y = new float[base.length];
            for (int i = 0; i < base.length; i++) {
                x[i] = (base[i] - lo) / (hi - lo) + (float) (0.05 * r.nextGaussian());
                y[i] = x[i] + (float) (0.02 * r.nextGaussian());
            }
            float[] nx = rest(d, x, a, clean);
            float[] ny = rest(d, y, a, clean);
            double num = 0;
            double den = 0;
            for (int i = 0; i < x.length; i++) {
                num += (nx[i] - ny[i]) * (double) (nx[i] - ny[i]);
                den += (x[i] - y[i]) * (double) (x[i] - y[i]);
            }
            double ratio = Math.sqrt(num / den);
            System.out.printf("%s: mix %.4f, ||N x - N y|| / ||x - y|| = %.4f%n", name, a, ratio);
            assertTrue(ratio <= 1 + 1e-3, name + ": N expands by " + ratio);
            assertTrue(ratio > 0.05, "N is not trivial: " + ratio);
        }
    }

    private static float[] rest(NetworkDenoiser d, float[] x, double a, Img<FloatType> like) {
        float[] out = FloatImages.copyData(d.denoise(FloatImages.wrap(x.clone(), like.dimension(0), like.dimension(1))));
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((out[i] - (1 - a) * x[i]) / a);
        }
        return out;
    }
}
