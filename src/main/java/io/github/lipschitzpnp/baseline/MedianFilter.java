package io.github.lipschitzpnp.baseline;


import java.util.Arrays;

/**
 * Median of the {@code (2r+1) x (2r+1)} square around each pixel of a 2D image (or each plane of
 * a stack); the window is clipped at the image's edges. Not Lipschitz in the 2-norm in general, so
 * no bound is claimed.
 */
public final class MedianFilter extends PlaneFilter {

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
    protected void filterPlane(float[] in, float[] out, int base, int w, int h) {
        float[] window = new float[(2 * radius + 1) * (2 * radius + 1)];
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
