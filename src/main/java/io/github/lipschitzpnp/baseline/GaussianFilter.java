package io.github.lipschitzpnp.baseline;


import java.util.Locale;

/**
 * Separable Gaussian smoothing of a 2D image (or each plane of a stack), as scikit-image's
 * {@code filters.gaussian} with {@code mode='nearest'} and {@code truncate=4}: the kernel is the
 * sampled Gaussian on {@code |i| <= round(4 sigma)} normalised to sum 1, edges repeat the border pixel.
 * An averaging filter with non-negative weights of sum 1, hence 1-Lipschitz in the 2-norm.
 */
public final class GaussianFilter extends PlaneFilter {

    private final double sigma;
    private final float[] kernel;

    public GaussianFilter(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("Gaussian filter sigma must be positive, got " + sigma);
        }
        this.sigma = sigma;
        int r = (int) (4 * sigma + 0.5);
        kernel = new float[2 * r + 1];
        double sum = 0;
        double[] k = new double[kernel.length];
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            kernel[i] = (float) (k[i] / sum);
        }
    }

    public double sigma() {
        return sigma;
    }

    @Override
    protected void filterPlane(float[] in, float[] out, int base, int w, int h) {
        float[] line = new float[Math.max(w, h)];
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(in, base + y * w, line, 0, w);
            convolveLine(line, w, tmp, y * w, 1);
        }
        for (int xx = 0; xx < w; xx++) {
            for (int y = 0; y < h; y++) {
                line[y] = tmp[y * w + xx];
            }
            convolveLine(line, h, out, base + xx, w);
        }
    }

    /** out[offset + i * stride] = sum_j k[j] line[clamp(i + j - r)] for i < n. */
    private void convolveLine(float[] line, int n, float[] out, int offset, int stride) {
        int r = kernel.length / 2;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = -r; j <= r; j++) {
                int k = Math.min(n - 1, Math.max(0, i + j));
                s += kernel[j + r] * line[k];
            }
            out[offset + i * stride] = (float) s;
        }
    }

    @Override
    public double lipschitzBound() {
        return 1.0;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Gaussian filter (sigma %.2f px)", sigma);
    }
}
