package io.github.lipschitzpnp.physics;

import java.util.SplittableRandom;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/** Small seeded images for the physics tests. */
final class TestImages {

    private TestImages() {
    }

    static Img<FloatType> uniform(long seed, long... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        Img<FloatType> img = FloatImages.create(dims);
        for (FloatType t : img) {
            t.set((float) r.nextDouble());
        }
        return img;
    }

    /** Brute-force "same" convolution with the PSF centred at floor(k/2), for checking the FFT path. */
    static float[] directConvolution(float[] x, int[] n, float[] h, int[] k, Boundary b) {
        float[] out = new float[n[0] * n[1] * n[2]];
        for (int z = 0; z < n[2]; z++) {
            for (int y = 0; y < n[1]; y++) {
                for (int xx = 0; xx < n[0]; xx++) {
                    double s = 0;
                    for (int kz = 0; kz < k[2]; kz++) {
                        for (int ky = 0; ky < k[1]; ky++) {
                            for (int kx = 0; kx < k[0]; kx++) {
                                int sx = index(xx - kx + k[0] / 2, n[0], b);
                                int sy = index(y - ky + k[1] / 2, n[1], b);
                                int sz = index(z - kz + k[2] / 2, n[2], b);
                                if (sx < 0 || sy < 0 || sz < 0) {
                                    continue;
                                }
                                s += h[(kz * k[1] + ky) * k[0] + kx] * x[(sz * n[1] + sy) * n[0] + sx];
                            }
                        }
                    }
                    out[(z * n[1] + y) * n[0] + xx] = (float) s;
                }
            }
        }
        return out;
    }

    private static int index(int i, int n, Boundary b) {
        switch (b) {
            case PERIODIC:
                return Math.floorMod(i, n);
            case ZERO:
                return i >= 0 && i < n ? i : -1;
            default:
                // mirror about the pixel edge: -1 -> 0, n -> n-1 (written independently of the operator)
                while (i < 0 || i >= n) {
                    i = i < 0 ? -1 - i : 2 * n - 1 - i;
                }
                return i;
        }
    }
}
