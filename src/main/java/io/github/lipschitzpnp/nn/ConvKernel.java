package io.github.lipschitzpnp.nn;

/**
 * A convolution kernel in plain doubles, laid out as PyTorch does: {@code (cOut, cIn, k, k)} for
 * {@code dims = 2} and {@code (cOut, cIn, k, k, k)} for {@code dims = 3}, row-major. The operator
 * is the cross-correlation with zero 'same' padding (k odd, stride 1):
 * {@code y[o](p) = sum_i sum_t K[o, i, t] x[i](p + offset(t))}, offsets in {@code -r..r},
 * {@code r = (k - 1) / 2}.
 *
 * @param w     the weights, length {@code cOut * cIn * k^dims}
 * @param cOut  output channels
 * @param cIn   input channels
 * @param k     kernel size (odd)
 * @param dims  spatial dimensions, 2 or 3
 */
public record ConvKernel(double[] w, int cOut, int cIn, int k, int dims) {

    /** Checks the sizes. */
    public ConvKernel {
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("dims must be 2 or 3, got " + dims);
        }
        if (k < 1 || k % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd for 'same' zero padding, got " + k);
        }
        if (w.length != cOut * cIn * taps(k, dims)) {
            throw new IllegalArgumentException("kernel has " + w.length + " weights, expected "
                    + cOut * cIn * taps(k, dims));
        }
    }

    private static int taps(int k, int dims) {
        return dims == 2 ? k * k : k * k * k;
    }

    /** Number of taps {@code k^dims}. */
    public int taps() {
        return taps(k, dims);
    }

    /** Weight of output channel o, input channel i, tap t. */
    public double at(int o, int i, int t) {
        return w[(o * cIn + i) * taps() + t];
    }

    /** Offset of tap {@code t} along spatial axis {@code axis} (0 = first spatial axis), in -r..r. */
    public int offset(int t, int axis) {
        int r = (k - 1) / 2;
        int stride = 1;
        for (int a = dims - 1; a > axis; a--) {
            stride *= k;
        }
        return (t / stride) % k - r;
    }

    /** The {@code cOut x cIn} matrix of tap {@code t}. */
    public double[][] tapMatrix(int t) {
        double[][] m = new double[cOut][cIn];
        for (int o = 0; o < cOut; o++) {
            for (int i = 0; i < cIn; i++) {
                m[o][i] = at(o, i, t);
            }
        }
        return m;
    }

    /**
     * Applies the zero-padded convolution to one image {@code x} of shape {@code (cIn, size...)}
     * (flat, row-major); {@code size} has {@code dims} entries.
     */
    public double[] apply(double[] x, int[] size) {
        return convolve(x, size, false);
    }

    /** Applies the adjoint (flipped kernel, channels swapped) to {@code y} of shape {@code (cOut, size...)}. */
    public double[] adjoint(double[] y, int[] size) {
        return convolve(y, size, true);
    }

    private double[] convolve(double[] in, int[] size, boolean adjoint) {
        if (size.length != dims) {
            throw new IllegalArgumentException("image needs " + dims + " sizes");
        }
        int d0 = dims == 3 ? size[0] : 1;
        int d1 = size[dims - 2];
        int d2 = size[dims - 1];
        int vox = d0 * d1 * d2;
        int nIn = adjoint ? cOut : cIn;
        int nOut = adjoint ? cIn : cOut;
        if (in.length != nIn * vox) {
            throw new IllegalArgumentException("image has " + in.length + " values, expected " + nIn * vox);
        }
        double[] out = new double[nOut * vox];
        int nt = taps();
        int sign = adjoint ? -1 : 1;
        for (int t = 0; t < nt; t++) {
            int o0 = dims == 3 ? sign * offset(t, 0) : 0;
            int o1 = sign * offset(t, dims - 2);
            int o2 = sign * offset(t, dims - 1);
            for (int a = 0; a < nOut; a++) {
                for (int b = 0; b < nIn; b++) {
                    double kw = adjoint ? at(b, a, t) : at(a, b, t);
                    if (kw == 0.0) {
                        continue;
                    }
                    int outBase = a * vox;
                    int inBase = b * vox;
                    for (int z = 0; z < d0; z++) {
                        int zz = z + o0;
                        if (zz < 0 || zz >= d0) {
                            continue;
                        }
                        for (int yy = 0; yy < d1; yy++) {
                            int y2 = yy + o1;
                            if (y2 < 0 || y2 >= d1) {
                                continue;
                            }
                            int rowOut = outBase + (z * d1 + yy) * d2;
                            int rowIn = inBase + (zz * d1 + y2) * d2;
                            int lo = Math.max(0, -o2);
                            int hi = Math.min(d2, d2 - o2);
                            for (int xx = lo; xx < hi; xx++) {
                                out[rowOut + xx] += kw * in[rowIn + xx + o2];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
