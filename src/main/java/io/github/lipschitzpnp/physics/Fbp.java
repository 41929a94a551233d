package io.github.lipschitzpnp.physics;

import java.util.Arrays;

import org.jtransforms.fft.FloatFFT_1D;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Filtered back-projection for {@link ParallelBeamRadon}: each projection is filtered with the
 * discrete ramp filter (the band-limited Ram-Lak kernel of Kak &amp; Slaney: h(0) = 1/4,
 * h(n) = -1/(pi n)^2 for odd n, 0 for even n, applied by FFT on a zero-padded length
 * max(64, next power of two at least 2D)), optionally multiplied by a window, weighted by the angular
 * interval it represents, and back-projected with the operator's exact adjoint:
 * {@code x = A^T (w * (h conv y))}.
 *
 * <p>Angle weights: angles are reduced modulo 180 degrees and sorted; each gets half the gap to its
 * neighbours (circularly), in radians. For n uniform angles over 180 degrees that is pi/n each (the
 * scikit-image iradon scaling), and a 360-degree scan counts each direction twice with half weight.
 */
public final class Fbp {

    /** Frequency window multiplying the ramp (nu = normalised frequency in [-1/2, 1/2]). */
    public enum Window {
        /** The plain ramp. */
        RAM_LAK,
        /** sin(pi nu) / (pi nu). */
        SHEPP_LOGAN,
        /** cos(pi nu). */
        COSINE,
        /** (1 + cos(2 pi nu)) / 2. */
        HANN
    }

    private final ParallelBeamRadon radon;
    private final Window window;
    private final int padded;
    private final float[] filter; // real, symmetric, length padded/2 + 1
    private final float[] weights;
    private final FloatFFT_1D fft;

    public Fbp(ParallelBeamRadon radon, Window window) {
        if (radon == null || window == null) {
            throw new IllegalArgumentException("FBP needs an operator and a window");
        }
        this.radon = radon;
        this.window = window;
        int d = radon.detectors();
        int p = 64;
        while (p < 2 * d) {
            p *= 2;
        }
        this.padded = p;
        FftThreads.useDaemonThreads();
        this.fft = new FloatFFT_1D(p);
        this.filter = rampFilter(p, window);
        this.weights = angleWeights(radon.anglesDegrees());
    }

    /** The transfer function of the windowed discrete ramp on a length-p grid, frequencies 0..p/2. */
    static float[] rampFilter(int p, Window window) {
        float[] out = new float[p / 2 + 1];
        for (int f = 0; f <= p / 2; f++) {
            // DFT of the symmetric kernel h(n), n circular distance
            double s = 0.25;
            for (int n = 1; n < p; n += 2) {
                int dist = Math.min(n, p - n);
                s += -1.0 / (Math.PI * Math.PI * dist * dist) * Math.cos(2 * Math.PI * f * n / p);
            }
            double nu = (double) f / p;
            double w;
            switch (window) {
                case SHEPP_LOGAN:
                    w = f == 0 ? 1 : Math.sin(Math.PI * nu) / (Math.PI * nu);
                    break;
                case COSINE:
                    w = Math.cos(Math.PI * nu);
                    break;
                case HANN:
                    w = 0.5 * (1 + Math.cos(2 * Math.PI * nu));
                    break;
                default:
                    w = 1;
            }
            out[f] = (float) (s * w);
        }
        return out;
    }

    /**
     * Angular weights in radians, see the class comment. Angles equal modulo 180 degrees (within
     * 1e-9 degrees) form one direction and share its weight equally.
     */
    static float[] angleWeights(double[] anglesDeg) {
        int n = anglesDeg.length;
        double[] red = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            red[i] = ((anglesDeg[i] % 180) + 180) % 180;
            if (red[i] > 180 - 1e-9) {
                red[i] = 0;
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(red[a], red[b]));
        // distinct directions in increasing order, with the members of each
        int[] groupStart = new int[n + 1];
        int groups = 0;
        for (int k = 0; k < n; k++) {
            if (k == 0 || red[order[k]] - red[order[k - 1]] > 1e-9) {
                groupStart[groups++] = k;
            }
        }
        groupStart[groups] = n;
        float[] w = new float[n];
        for (int g = 0; g < groups; g++) {
            double prev = g > 0 ? red[order[groupStart[g - 1]]] : red[order[groupStart[groups - 1]]] - 180;
            double next = g < groups - 1 ? red[order[groupStart[g + 1]]] : red[order[0]] + 180;
            double weight = Math.toRadians((next - prev) / 2);
            if (groups == 1) {
                weight = Math.PI;
            }
            int members = groupStart[g + 1] - groupStart[g];
            for (int k = groupStart[g]; k < groupStart[g + 1]; k++) {
                w[order[k]] = (float) (weight / members);
            }
        }
        return w;
    }

    public ParallelBeamRadon operator() {
        return radon;
    }

    public Window window() {
        return window;
    }

    /**
     * Reconstructs an N x N image from a sinogram of dims {detectors, angles}; the input is not
     * modified.
     */
    public Img<FloatType> reconstruct(RandomAccessibleInterval<FloatType> sinogram) {
        long[] range = radon.rangeDimensions();
        Dims.require(sinogram, range, "sinogram", "FBP (dims {detectors, angles})");
        float[] in = FloatImages.data(sinogram);
        int d = radon.detectors();
        int na = weights.length;
        float[] filtered = new float[d * na];
        float[] buf = new float[padded];
        int half = padded / 2;
        for (int a = 0; a < na; a++) {
            Arrays.fill(buf, 0f);
            System.arraycopy(in, a * d, buf, 0, d);
            fft.realForward(buf);
            // packed layout: buf[0] = Re(0), buf[1] = Re(p/2), buf[2k], buf[2k+1] = Re, Im of k
            buf[0] *= filter[0];
            buf[1] *= filter[half];
            for (int k = 1; k < half; k++) {
                buf[2 * k] *= filter[k];
                buf[2 * k + 1] *= filter[k];
            }
            fft.realInverse(buf, true);
            float w = weights[a];
            for (int i = 0; i < d; i++) {
                filtered[a * d + i] = buf[i] * w;
            }
        }
        return radon.adjoint(FloatImages.wrap(filtered, range));
    }
}
