package io.github.lipschitzpnp.baseline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.Denoiser;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

import java.util.Arrays;

/**
 * Median of the {@code (2r+1) x (2r+1)} square around each pixel of a 2D image (or each plane of
 * a stack); the window is clipped at the image's edges. Not Lipschitz in the 2-norm in general, so
 * no bound is claimed.
 */
public final class MedianFilter implements Denoiser {

    private final int radius;

    public MedianFilter(int radius) {
        if (radius < 1) {
            throw new IllegalArgumentException("median radius must be >= 1, got " + radius);
        }
        this.radius = radius;
    }

    public int radius() {
        return radius;
    }

    @Override
    public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        long[] dims = Intervals.dimensionsAsLongArray(x);
        float[] in = FloatImages.copyData(x);
        int w = (int) dims[0];
        int h = (int) dims[1];
        int planes = in.length / (w * h);
        float[] out = new float[in.length];
        float[] window = new float[(2 * radius + 1) * (2 * radius + 1)];
        for (int p = 0; p < planes; p++) {
            int base = p * w * h;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int n = 0;
                    for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
                        for (int xw = Math.max(0, xx - radius); xw <= Math.min(w - 1, xx + radius); xw++) {
                            window[n++] = in[base + yy * w + xw];
                        }
                    }
                    Arrays.sort(window, 0, n);
                    out[base + y * w + xx] = n % 2 == 1 ? window[n / 2] : 0.5f * (window[n / 2 - 1] + window[n / 2]);
                }
            }
        }
        return FloatImages.wrap(out, dims);
    }

    @Override
    public double lipschitzBound() {
        return Double.NaN;
    }

    @Override
    public String describe() {
        int s = 2 * radius + 1;
        return "median filter (" + s + "x" + s + ")";
    }
}
