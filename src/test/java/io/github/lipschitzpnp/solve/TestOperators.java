package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Random;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/** Small, honest test doubles: operators and denoisers whose norms and adjoints are known exactly. */
final class TestOperators {

    private TestOperators() {
    }

    /** Periodic 2D correlation with a 3x3 kernel k[dy+1][dx+1]: out(x,y) = sum k * in(x+dx, y+dy). */
    static float[] correlate3x3(float[] in, int w, int h, double[][] k, boolean flipped) {
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        double kv = flipped ? k[1 - dy][1 - dx] : k[dy + 1][dx + 1];
                        int xx = Math.floorMod(x + dx, w);
                        int yy = Math.floorMod(y + dy, h);
                        s += kv * in[yy * w + xx];
                    }
                }
                out[y * w + x] = (float) s;
            }
        }
        return out;
    }

    static double absSum(double[][] k) {
        double s = 0;
        for (double[] row : k) {
            for (double v : row) {
                s += Math.abs(v);
            }
        }
        return s;
    }

    /** An asymmetric blur with non-negative weights summing to 1: norm exactly 1, adjoint = flipped kernel. */
    static final double[][] BLUR = {{0.05, 0.10, 0.00}, {0.15, 0.50, 0.10}, {0.00, 0.05, 0.05}};

    /** A symmetric averaging filter, non-negative weights summing to 1: non-expansive (transfer in [0.2, 1]). */
    static final double[][] AVERAGE = {{0.05, 0.10, 0.05}, {0.10, 0.40, 0.10}, {0.05, 0.10, 0.05}};

    /** A sharpening filter: gain 1 + 8 * 0.25 = 3 at the highest frequency, so expansive. */
    static final double[][] SHARPEN = {{-0.25, -0.25, -0.25}, {-0.25, 3.0, -0.25}, {-0.25, -0.25, -0.25}};

    /** Periodic 3x3 blur on w x h images. */
    static final class PeriodicBlur implements LinearOperator {
        final int w;
        final int h;
        final double[][] k;

        PeriodicBlur(int w, int h, double[][] k) {
            this.w = w;
            this.h = h;
            this.k = k;
        }

        @Override
        public long[] domainDimensions() {
            return new long[] {w, h};
        }

        @Override
        public long[] rangeDimensions() {
            return new long[] {w, h};
        }

        @Override
        public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
            return FloatImages.wrap(correlate3x3(FloatImages.copyData(x), w, h, k, false), w, h);
        }

        @Override
        public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
            return FloatImages.wrap(correlate3x3(FloatImages.copyData(y), w, h, k, true), w, h);
        }

        @Override
        public double norm() {
            return 1; // non-negative weights summing to 1: |H| peaks at 1 at frequency 0
        }

        @Override
        public String describe() {
            return "test periodic 3x3 blur";
        }
    }

    /** Pointwise multiplication by a 0/1 mask (self-adjoint, norm 1), any dimension. */
    static final class Mask implements LinearOperator {
        final float[] mask;
        final long[] dims;

        Mask(float[] mask, long... dims) {
            this.mask = mask;
            this.dims = dims;
        }

        @Override
        public long[] domainDimensions() {
            return dims.clone();
        }

        @Override
        public long[] rangeDimensions() {
            return dims.clone();
        }

        @Override
        public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
            float[] v = FloatImages.copyData(x);
            for (int i = 0; i < v.length; i++) {
                v[i] *= mask[i];
            }
            return FloatImages.wrap(v, dims);
        }

        @Override
        public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
            return apply(y);
        }

        @Override
        public double norm() {
            return 1;
        }

        @Override
        public String describe() {
            return "test mask";
        }
    }

    /** An explicit dense matrix from a flat domain of dims to a 1D range; norm by converged power iteration. */
    static final class Matrix implements LinearOperator {
        final double[][] m;
        final long[] dims;
        final double norm;

        Matrix(double[][] m, long... dims) {
            this.m = m;
            this.dims = dims;
            double[] v = new double[m[0].length];
            java.util.Arrays.fill(v, 1);
            double lam = 0;
            for (int it = 0; it < 5000; it++) {
                double[] w = mulT(mul(v));
                double n = 0;
                for (double d : w) {
                    n += d * d;
                }
                n = Math.sqrt(n);
                for (int i = 0; i < v.length; i++) {
                    v[i] = w[i] / n;
                }
                lam = n;
            }
            norm = Math.sqrt(lam);
        }

        double[] mul(double[] x) {
            double[] y = new double[m.length];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    y[i] += m[i][j] * x[j];
                }
            }
            return y;
        }

        double[] mulT(double[] y) {
            double[] x = new double[m[0].length];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    x[j] += m[i][j] * y[i];
                }
            }
            return x;
        }

        @Override
        public long[] domainDimensions() {
            return dims.clone();
        }

        @Override
        public long[] rangeDimensions() {
            return new long[] {m.length};
        }

        @Override
        public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
            return FloatImages.wrap(toFloat(mul(toDouble(FloatImages.copyData(x)))), m.length);
        }

        @Override
        public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
            return FloatImages.wrap(toFloat(mulT(toDouble(FloatImages.copyData(y)))), dims);
        }

        @Override
        public double norm() {
            return norm;
        }

        @Override
        public String describe() {
            return "test explicit matrix";
        }
    }

    /** Periodic 3x3 filter as a denoiser; its bound is sum |k| (exact for non-negative kernels), or NaN. */
    static final class FilterDenoiser implements Denoiser {
        final int w;
        final int h;
        final double[][] k;
        final double bound;
        int calls;

        FilterDenoiser(int w, int h, double[][] k, boolean certified) {
            this.w = w;
            this.h = h;
            this.k = k;
            this.bound = certified ? absSum(k) : Double.NaN;
        }

        @Override
        public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
            calls++;
            return FloatImages.wrap(correlate3x3(FloatImages.copyData(x), w, h, k, false), w, h);
        }

        @Override
        public double lipschitzBound() {
            return bound;
        }

        @Override
        public String describe() {
            return "test 3x3 filter";
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** A 2D test image in [0, 1]: two Gaussian blobs and a bright rectangle. */
    static float[] phantom(int w, int h) {
        float[] x = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < w; i++) {
                double v = 0.6 * Math.exp(-(Math.pow(i - 0.3 * w, 2) + Math.pow(y - 0.35 * h, 2)) / (0.02 * w * h))
                        + 0.4 * Math.exp(-(Math.pow(i - 0.7 * w, 2) + Math.pow(y - 0.65 * h, 2)) / (0.01 * w * h));
                if (i > w / 2 && i < 0.85 * w && y > h / 5 && y < 0.45 * h) {
                    v += 0.4;
                }
                x[y * w + i] = (float) Math.min(1, v);
            }
        }
        return x;
    }

    static float[] addNoise(float[] x, double sigma, long seed) {
        Random r = new Random(seed);
        float[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) (sigma * r.nextGaussian());
        }
        return out;
    }

    /** A blurred, slightly noisy 32x32 deblurring problem with reference and data range 1. */
    static Problem deblurProblem(int n, double noise) {
        PeriodicBlur a = new PeriodicBlur(n, n, BLUR);
        float[] truth = phantom(n, n);
        float[] y = addNoise(correlate3x3(truth, n, n, BLUR, false), noise, 7);
        return Problem.of(a, FloatImages.wrap(y, n, n)).withReference(FloatImages.wrap(truth, n, n)).withDataRange(1);
    }

    /** Asserts r_{k+1} <= r_k up to float rounding: relative 1e-6 plus an absolute floor 1e-7 ||x|| (float rounding). */
    static void assertNonIncreasing(double[] r, double scale, String what) {
        for (int k = 1; k < r.length; k++) {
            double slack = 1e-6 * r[k - 1] + 1e-7 * scale;
            if (r[k] > r[k - 1] + slack) {
                throw new AssertionError(what + ": residual increased at iteration " + (k + 1) + ": " + r[k - 1] + " -> "
                        + r[k]);
            }
        }
    }
}
