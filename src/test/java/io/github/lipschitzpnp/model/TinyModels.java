package io.github.lipschitzpnp.model;

import ai.djl.Device;
import io.github.lipschitzpnp.train.DenoiserTrainer;
import io.github.lipschitzpnp.train.NoiseModel;
import io.github.lipschitzpnp.train.PatchSampler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny trained denoisers for tests (seconds to make). */
public final class TinyModels {

    private TinyModels() {
    }

    /** Smooth random images in [0, 1]: sums of a few random cosines. */
    public static List<PatchSampler.Image2D> smoothImages(int count, int side, long seed) {
        Random r = new Random(seed);
        List<PatchSampler.Image2D> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[] d = new float[side * side];
            double[][] waves = new double[4][4];
            for (double[] w : waves) {
                w[0] = r.nextDouble() * 0.3;
                w[1] = r.nextDouble() * 0.3;
                w[2] = r.nextDouble() * 6;
                w[3] = r.nextDouble() * 0.25;
            }
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double v = 0.5;
                    for (double[] w : waves) {
                        v += w[3] * Math.cos(w[0] * x + w[1] * y + w[2]);
                    }
                    d[y * side + x] = (float) Math.max(0, Math.min(1, v));
                }
            }
            out.add(new PatchSampler.Image2D(d, side, side));
        }
        return out;
    }

    /** Trains a width-4, depth-2 denoiser for a few steps and returns it (caller closes). */
    public static DenoiserModel train(int steps, Path checkpoint) throws Exception {
        return train(steps, checkpoint, "relu");
    }

    /** As {@link #train(int, Path)} with another activation. */
    public static DenoiserModel train(int steps, Path checkpoint, String activation) throws Exception {
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, 4, 4, 2, 3, activation, 0.9, true);
        DenoiserTrainer.Config c = new DenoiserTrainer.Config("tiny", arch, NoiseModel.gaussian(0.05), 16, 4, steps,
                0.005, 3, 2, 2);
        return new DenoiserTrainer(c, Device.cpu()).train(smoothImages(3, 48, 1), smoothImages(1, 48, 2), checkpoint,
                null).model();
    }
}
