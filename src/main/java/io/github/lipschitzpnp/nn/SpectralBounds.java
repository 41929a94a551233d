package io.github.lipschitzpnp.nn;

import java.util.Arrays;
import java.util.Random;

/**
 * Operator-norm bounds in plain Java doubles, for certification.
 *
 * <ul>
 *   <li>{@link #gramUpperBound(double[][])}: rigorous upper bound on the spectral norm of a dense
 *       matrix by the Gram iteration (Delattre, Barthélemy, Araujo, Allauzen, ICML 2023):
 *       {@code ||W|| <= ||G_t||_F^(1/2^t)} with {@code G_0 = W, G_{t+1} = G_t^T G_t}, computed
 *       with a rescaling at every step so nothing overflows.</li>
 *   <li>{@link #convUpperBound(ConvKernel, int)}: rigorous upper bound on the norm of a
 *       zero-padded convolution for every image size: the maximum over an {@code N^d} frequency
 *       grid of per-frequency Gram bounds, plus the grid correction {@code (pi/N) sum_i L_i}.</li>
 *   <li>{@link #powerIteration(double[][], int, long)} and
 *       {@link #convPowerIteration(ConvKernel, int[], int, long)}: lower bounds.</li>
 * </ul>
 * Floating-point rounding in the Gram iteration is covered by a relative safety factor
 * {@link #ROUNDING_MARGIN}, many orders of magnitude above the accumulated rounding error.
 */
public final class SpectralBounds {

    /** Default number of Gram squarings: over-estimation at most {@code rank^(1/2^13)}. */
    public static final int GRAM_ITERATIONS = 12;

    /** Relative margin added to every rigorous bound to absorb floating-point rounding. */
    public static final double ROUNDING_MARGIN = 1e-9;

    private SpectralBounds() {
    }

    /** The result of {@link #convUpperBound}: grid maximum, correction and their sum. */
    public record ConvBound(double gridUpper, double gridEstimate, double correction, double upper, int gridSize) {
    }

    /** Rigorous upper bound on {@code ||A||_2} with {@link #GRAM_ITERATIONS} squarings. */
    public static double gramUpperBound(double[][] a) {
        return gramUpperBound(a, GRAM_ITERATIONS);
    }

    /** Rigorous upper bound on {@code ||A||_2} by the Gram iteration with {@code iterations} squarings. */
    public static double gramUpperBound(double[][] a, int iterations) {
        int m = a.length;
        int n = m == 0 ? 0 : a[0].length;
        if (m == 0 || n == 0) {
            return 0.0;
        }
        int s = Math.min(m, n);
        double[] h = new double[s * s];
        for (int p = 0; p < s; p++) {
            for (int q = 0; q < s; q++) {
                double acc = 0;
                if (n <= m) { // A^T A
                    for (int r = 0; r < m; r++) {
                        acc += a[r][p] * a[r][q];
                    }
                } else { // A A^T
                    for (int r = 0; r < n; r++) {
                        acc += a[p][r] * a[q][r];
                    }
                }
                h[p * s + q] = acc;
            }
        }
        return Math.sqrt(hermitianBound(h, null, s, iterations, 0.0));
    }

    /**
     * Upper bound on {@code ||H||_2} for a Hermitian matrix {@code H = re + i im} ({@code im}
     * may be null for real symmetric), by repeated squaring with rescaling. Stops early, returning
     * a valid bound, once the bound is {@code <= stopBelow}. The input arrays are overwritten.
     */
    static double hermitianBound(double[] re, double[] im, int n, int iterations, double stopBelow) {
        double f = frobenius(re, im);
        if (f == 0.0) {
            return 0.0;
        }
        double logScale = Math.log(f); // ||H_t||_F = exp(logScale) with H_t = H^(2^t)
        scale(re, im, 1.0 / f);
        double best = f;
        double[] tr = new double[n * n];
        double[] ti = im == null ? null : new double[n * n];
        double pow = 1.0;
        for (int t = 1; t <= iterations && best > stopBelow; t++) {
            square(re, im, tr, ti, n);
            System.arraycopy(tr, 0, re, 0, n * n);
            if (im != null) {
                System.arraycopy(ti, 0, im, 0, n * n);
            }
            double g = frobenius(re, im);
            if (g == 0.0) {
                return 0.0; // nilpotent cannot happen for Hermitian unless H = 0
            }
            scale(re, im, 1.0 / g);
            logScale = 2.0 * logScale + Math.log(g);
            pow *= 2.0;
            best = Math.min(best, Math.exp(logScale / pow));
        }
        return best * (1.0 + ROUNDING_MARGIN);
    }

    private static void square(double[] re, double[] im, double[] outRe, double[] outIm, int n) {
        Arrays.fill(outRe, 0.0);
        if (outIm != null) {
            Arrays.fill(outIm, 0.0);
        }
        for (int p = 0; p < n; p++) {
            for (int r = 0; r < n; r++) {
                double ar = re[p * n + r];
                double ai = im == null ? 0.0 : im[p * n + r];
                if (ar == 0.0 && ai == 0.0) {
                    continue;
                }
                int rowR = r * n;
                int rowP = p * n;
                if (im == null) {
                    for (int q = 0; q < n; q++) {
                        outRe[rowP + q] += ar * re[rowR + q];
                    }
                } else {
                    for (int q = 0; q < n; q++) {
                        double br = re[rowR + q];
                        double bi = im[rowR + q];
                        outRe[rowP + q] += ar * br - ai * bi;
                        outIm[rowP + q] += ar * bi + ai * br;
                    }
                }
            }
        }
    }

    private static double frobenius(double[] re, double[] im) {
        double s = 0;
        for (double v : re) {
            s += v * v;
        }
        if (im != null) {
            for (double v : im) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    private static void scale(double[] re, double[] im, double c) {
        for (int j = 0; j < re.length; j++) {
            re[j] *= c;
        }
        if (im != null) {
            for (int j = 0; j < im.length; j++) {
                im[j] *= c;
            }
        }
    }

    /**
     * The spectral norm of a small dense matrix to machine precision (cyclic Jacobi on the smaller
     * Gram matrix). Not a rigorous bound; used where the exact value is wanted (analytic blocks).
     */
    public static double exactNorm(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        int s = Math.min(m, n);
        double[][] g = new double[s][s];
        for (int p = 0; p < s; p++) {
            for (int q = 0; q < s; q++) {
                double acc = 0;
                for (int r = 0; r < Math.max(m, n); r++) {
                    acc += n <= m ? a[r][p] * a[r][q] : a[p][r] * a[q][r];
                }
                g[p][q] = acc;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < s; p++) {
                for (int q = p + 1; q < s; q++) {
                    off += g[p][q] * g[p][q];
                }
            }
            if (off == 0.0) {
                break;
            }
            for (int p = 0; p < s; p++) {
                for (int q = p + 1; q < s; q++) {
                    if (g[p][q] == 0.0) {
                        continue;
                    }
                    double theta = (g[q][q] - g[p][p]) / (2 * g[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int r = 0; r < s; r++) {
                        double gp = g[r][p];
                        double gq = g[r][q];
                        g[r][p] = c * gp - sn * gq;
                        g[r][q] = sn * gp + c * gq;
                    }
                    for (int r = 0; r < s; r++) {
                        double gp = g[p][r];
                        double gq = g[q][r];
                        g[p][r] = c * gp - sn * gq;
                        g[q][r] = sn * gp + c * gq;
                    }
                }
            }
        }
        double max = 0;
        for (int p = 0; p < s; p++) {
            max = Math.max(max, g[p][p]);
        }
        return Math.sqrt(max);
    }

    /** Power iteration on {@code A^T A}: returns {@code ||A v||} for the final unit {@code v}, a lower bound. */
    public static double powerIteration(double[][] a, int iterations, long seed) {
        int m = a.length;
        int n = a[0].length;
        Random rnd = new Random(seed);
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = rnd.nextGaussian();
        }
        double sigma = 0;
        for (int it = 0; it <= iterations; it++) {
            normalise(v);
            double[] u = new double[m];
            for (int r = 0; r < m; r++) {
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += a[r][j] * v[j];
                }
                u[r] = acc;
            }
            sigma = norm(u);
            double[] w = new double[n];
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < n; j++) {
                    w[j] += a[r][j] * u[r];
                }
            }
            if (norm(w) == 0) {
                return sigma;
            }
            v = w;
        }
        return sigma;
    }

    /**
     * Power iteration on the actual zero-padded convolution for one image size ({@code size} has
     * {@code dims} entries): a lower bound on its operator norm.
     */
    public static double convPowerIteration(ConvKernel kernel, int[] size, int iterations, long seed) {
        int vox = 1;
        for (int s : size) {
            vox *= s;
        }
        Random rnd = new Random(seed);
        double[] x = new double[kernel.cIn() * vox];
        for (int j = 0; j < x.length; j++) {
            x[j] = rnd.nextGaussian();
        }
        double sigma = 0;
        for (int it = 0; it <= iterations; it++) {
            normalise(x);
            double[] y = kernel.apply(x, size);
            sigma = norm(y);
            double[] z = kernel.adjoint(y, size);
            if (norm(z) == 0) {
                return sigma;
            }
            x = z;
        }
        return sigma;
    }

    /**
     * Rigorous upper bound, valid for every image size, on the norm of the zero-padded 'same'
     * convolution with {@code kernel}: {@code max over the N^d grid of ||K^(w)||} (each bounded by
     * the Gram iteration) plus a grid correction, the smallest of three rigorous ones (h = pi / N:
     * every frequency is within h per axis of a grid point):
     * <ul>
     *   <li>first order: {@code h sum_i L_i}, {@code L_i = sum over taps of |offset_i| * ||K_tap||}
     *       (tap norms by the Gram bound);</li>
     *   <li>refined first order: {@code h sum_i D_i}, {@code D_i = min(L_i, grid maximum of
     *       ||d/dw_i K^|| + h sum_j L_ij)} bounding {@code sup ||d/dw_i K^||}, {@code L_ij = sum
     *       over taps of |offset_i offset_j| ||K_tap||} bounding the second derivatives;</li>
     *   <li>second order: at a maximiser w* of {@code ||K^||} with top singular vector v*,
     *       {@code q(w) = ||K^(w) v*||^2} is maximal, so its gradient vanishes there, and
     *       {@code |d_ij q| <= 2 S L_ij + 2 D_i D_j}; Taylor's theorem to the nearest grid point
     *       gives {@code S^2 - h^2 A S - (G^2 + h^2 B) <= 0} with {@code S} the supremum,
     *       {@code G} the grid maximum, {@code A = sum_ij L_ij}, {@code B = (sum_i D_i)^2}.</li>
     * </ul>
     */
    public static ConvBound convUpperBound(ConvKernel kernel, int gridSize) {
        int d = kernel.dims();
        int nt = kernel.taps();
        double[] tapNorm = new double[nt];
        for (int t = 0; t < nt; t++) {
            tapNorm[t] = gramUpperBound(kernel.tapMatrix(t));
        }
        double h = Math.PI / gridSize;
        double[] g = gridMax(kernel, gridSize);
        double grid = g[0];
        double first = 0; // h sum_i L_i
        double sumD = 0; // sum_i D_i^up, D_i^up >= sup ||d_i K^||
        double a = 0; // sum_ij L_ij
        for (int i = 0; i < d; i++) {
            double li = 0;
            for (int t = 0; t < nt; t++) {
                li += Math.abs(kernel.offset(t, i)) * tapNorm[t];
            }
            first += h * li;
            double[] w = kernel.w();
            double[] dw = new double[w.length];
            int per = kernel.cOut() * kernel.cIn();
            for (int oi = 0; oi < per; oi++) {
                for (int t = 0; t < nt; t++) {
                    dw[oi * nt + t] = w[oi * nt + t] * kernel.offset(t, i);
                }
            }
            double di = gridMax(new ConvKernel(dw, kernel.cOut(), kernel.cIn(), kernel.k(), d), gridSize)[0];
            double lij = 0;
            for (int j = 0; j < d; j++) {
                for (int t = 0; t < nt; t++) {
                    lij += Math.abs(kernel.offset(t, i) * kernel.offset(t, j)) * tapNorm[t];
                }
            }
            a += lij;
            sumD += Math.min(di + h * lij, li);
        }
        double refined = h * sumD;
        // second order: S^2 - h^2 A S - (G^2 + h^2 B) <= 0 with B = (sum_i D_i^up)^2
        double h2 = h * h;
        double b = sumD * sumD;
        double s2 = 0.5 * (h2 * a + Math.sqrt(h2 * h2 * a * a + 4 * (grid * grid + h2 * b)));
        double correction = Math.min(Math.min(first, refined), s2 - grid);
        double upper = (grid + correction) * (1.0 + ROUNDING_MARGIN);
        return new ConvBound(grid, g[1], correction, upper, gridSize);
    }

    /**
     * {max over the grid of a rigorous bound on ||K^(w)||, max over the grid of the power-iteration
     * estimate}.
     */
    private static double[] gridMax(ConvKernel kernel, int gridSize) {
        int d = kernel.dims();
        int co = kernel.cOut();
        int ci = kernel.cIn();
        int nFreq = 1;
        for (int axis = 0; axis < d; axis++) {
            nFreq *= gridSize;
        }
        // pass 1: a cheap power-iteration estimate per frequency, to visit the large ones first
        int[] visit = new int[nFreq];
        double[] estimate = new double[nFreq];
        int count = 0;
        double[] kr = new double[co * ci];
        double[] ki = new double[co * ci];
        double gridEstimate = 0;
        for (int f = 0; f < nFreq; f++) {
            if (mirror(f, gridSize, d) < f) {
                continue; // real kernel: ||K^(-w)|| = ||K^(w)||
            }
            transfer(kernel, f, gridSize, kr, ki);
            estimate[f] = freqPowerIteration(kr, ki, co, ci, 8);
            gridEstimate = Math.max(gridEstimate, estimate[f]);
            visit[count++] = f;
        }
        Integer[] order = new Integer[count];
        for (int j = 0; j < count; j++) {
            order[j] = visit[j];
        }
        Arrays.sort(order, (p, q) -> Double.compare(estimate[q], estimate[p]));
        // pass 2: rigorous per-frequency bound, stopping early where it cannot raise the maximum
        double gridUpper2 = 0; // running max of bounds on ||K^(w)||^2
        boolean small = ci <= co;
        int n = small ? ci : co;
        double[] hr = new double[n * n];
        double[] hi = new double[n * n];
        for (int j = 0; j < count; j++) {
            transfer(kernel, order[j], gridSize, kr, ki);
            gram(kr, ki, co, ci, small, hr, hi);
            double b = hermitianBound(hr, hi, n, GRAM_ITERATIONS, gridUpper2);
            gridUpper2 = Math.max(gridUpper2, b);
        }
        return new double[] {Math.sqrt(gridUpper2), gridEstimate};
    }

    private static int mirror(int f, int n, int d) {
        int m = 0;
        int stride = 1;
        for (int axis = 0; axis < d; axis++) {
            int idx = (f / stride) % n;
            m += ((n - idx) % n) * stride;
            stride *= n;
        }
        return m;
    }

    /** K^(w)[o][i] = sum_t K[o,i,t] exp(-i w . offset_t), w = 2 pi m / N. */
    private static void transfer(ConvKernel kernel, int f, int n, double[] kr, double[] ki) {
        int d = kernel.dims();
        int nt = kernel.taps();
        double[] omega = new double[d];
        int stride = 1;
        for (int axis = d - 1; axis >= 0; axis--) {
            omega[axis] = 2 * Math.PI * ((f / stride) % n) / n;
            stride *= n;
        }
        Arrays.fill(kr, 0.0);
        Arrays.fill(ki, 0.0);
        int ci = kernel.cIn();
        int co = kernel.cOut();
        double[] w = kernel.w();
        for (int t = 0; t < nt; t++) {
            double phase = 0;
            for (int axis = 0; axis < d; axis++) {
                phase += omega[axis] * kernel.offset(t, axis);
            }
            double c = Math.cos(phase);
            double s = -Math.sin(phase);
            for (int o = 0; o < co; o++) {
                for (int i = 0; i < ci; i++) {
                    double kw = w[(o * ci + i) * nt + t];
                    kr[o * ci + i] += kw * c;
                    ki[o * ci + i] += kw * s;
                }
            }
        }
    }

    /** H = K^H K (ci x ci) when {@code small}, else K K^H (co x co). */
    private static void gram(double[] kr, double[] ki, int co, int ci, boolean small, double[] hr, double[] hi) {
        int n = small ? ci : co;
        int inner = small ? co : ci;
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double sr = 0;
                double si = 0;
                for (int r = 0; r < inner; r++) {
                    double ar;
                    double ai;
                    double br;
                    double bi;
                    if (small) { // conj(K[r][p]) * K[r][q]
                        ar = kr[r * ci + p];
                        ai = -ki[r * ci + p];
                        br = kr[r * ci + q];
                        bi = ki[r * ci + q];
                    } else { // K[p][r] * conj(K[q][r])
                        ar = kr[p * ci + r];
                        ai = ki[p * ci + r];
                        br = kr[q * ci + r];
                        bi = -ki[q * ci + r];
                    }
                    sr += ar * br - ai * bi;
                    si += ar * bi + ai * br;
                }
                hr[p * n + q] = sr;
                hi[p * n + q] = si;
            }
        }
    }

    private static double freqPowerIteration(double[] kr, double[] ki, int co, int ci, int iterations) {
        double[] vr = new double[ci];
        double[] vi = new double[ci];
        for (int i = 0; i < ci; i++) {
            vr[i] = 1.0 + 0.1 * i;
            vi[i] = 0.05 * i;
        }
        double sigma = 0;
        double[] ur = new double[co];
        double[] ui = new double[co];
        for (int it = 0; it < iterations; it++) {
            double nv = 0;
            for (int i = 0; i < ci; i++) {
                nv += vr[i] * vr[i] + vi[i] * vi[i];
            }
            nv = Math.sqrt(nv);
            if (nv == 0) {
                return sigma;
            }
            double nu = 0;
            for (int o = 0; o < co; o++) {
                double sr = 0;
                double si = 0;
                for (int i = 0; i < ci; i++) {
                    double ar = kr[o * ci + i];
                    double ai = ki[o * ci + i];
                    sr += ar * vr[i] - ai * vi[i];
                    si += ar * vi[i] + ai * vr[i];
                }
                ur[o] = sr / nv;
                ui[o] = si / nv;
                nu += ur[o] * ur[o] + ui[o] * ui[o];
            }
            sigma = Math.sqrt(nu);
            for (int i = 0; i < ci; i++) {
                double sr = 0;
                double si = 0;
                for (int o = 0; o < co; o++) {
                    double ar = kr[o * ci + i];
                    double ai = -ki[o * ci + i];
                    sr += ar * ur[o] - ai * ui[o];
                    si += ar * ui[o] + ai * ur[o];
                }
                vr[i] = sr;
                vi[i] = si;
            }
        }
        return sigma;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static void normalise(double[] v) {
        double n = norm(v);
        if (n > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= n;
            }
        }
    }
}
