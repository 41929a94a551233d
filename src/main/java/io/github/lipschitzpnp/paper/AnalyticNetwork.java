package io.github.lipschitzpnp.paper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A 1-Lipschitz ResNet with analytically chosen weights, evaluated in double precision: a chain of
 * affine maps {@code z -> A z + c} with {@code ||A||_2 <= 1} and gradient-step blocks
 * {@code z -> z - h W^T relu(W z + b)} with {@code h = tau * 2 / ||W||_2^2}, {@code 0 < tau <= 1}.
 * Every layer is 1-Lipschitz, so the network is. The same layers can be loaded into the DJL
 * network of package {@code nn}.
 */
public final class AnalyticNetwork {

    /** One layer of the chain. */
    public sealed interface Layer permits Affine, Block {
        double[] apply(double[] z);

        int inputDimension();

        int outputDimension();
    }

    /** {@code z -> A z + c}; the constructor refuses {@code ||A||_2 > 1}. */
    public record Affine(double[][] a, double[] c) implements Layer {
        public Affine {
            double norm = io.github.lipschitzpnp.nn.SpectralBounds.exactNorm(a);
            if (norm > 1 + 1e-12) {
                throw new IllegalArgumentException("affine map has norm " + norm + " > 1");
            }
            if (c.length != a.length) {
                throw new IllegalArgumentException("bias length " + c.length + " != rows " + a.length);
            }
        }

        @Override
        public double[] apply(double[] z) {
            double[] out = Matrices.multiply(a, z);
            for (int i = 0; i < out.length; i++) {
                out[i] += c[i];
            }
            return out;
        }

        @Override
        public int inputDimension() {
            return a[0].length;
        }

        @Override
        public int outputDimension() {
            return a.length;
        }
    }

    /**
     * {@code z -> z - h W^T relu(W z + b)} with {@code h = tau * 2 / ||W||_2^2}. With {@code tau = 1}
     * and one row {@code w}, it reflects the half-space {@code w.z + b > 0} across the hyperplane
     * {@code w.z + b = 0} and leaves the other half fixed: a fold.
     */
    public record Block(double[][] w, double[] b, double tau) implements Layer {
        public Block {
            if (!(tau > 0 && tau <= 1)) {
                throw new IllegalArgumentException("tau must lie in (0, 1], got " + tau);
            }
            if (b.length != w.length) {
                throw new IllegalArgumentException("bias length " + b.length + " != rows " + w.length);
            }
        }

        /** The step size h = tau * 2 / ||W||^2. */
        public double h() {
            double s = io.github.lipschitzpnp.nn.SpectralBounds.exactNorm(w);
            return tau * 2 / (s * s);
        }

        @Override
        public double[] apply(double[] z) {
            double[] pre = Matrices.multiply(w, z);
            for (int i = 0; i < pre.length; i++) {
                pre[i] = Math.max(0, pre[i] + b[i]);
            }
            double[] back = Matrices.multiplyTransposed(w, pre);
            double h = h();
            double[] out = z.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] -= h * back[i];
            }
            return out;
        }

        @Override
        public int inputDimension() {
            return w[0].length;
        }

        @Override
        public int outputDimension() {
            return w[0].length;
        }
    }

    private final String name;
    private final List<Layer> layers;

    public AnalyticNetwork(String name, List<Layer> layers) {
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputDimension() != layers.get(i - 1).outputDimension()) {
                throw new IllegalArgumentException("layer " + i + " expects dimension " + layers.get(i).inputDimension()
                        + " but layer " + (i - 1) + " gives " + layers.get(i - 1).outputDimension());
            }
        }
        this.name = name;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    public String name() {
        return name;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Number of gradient-step blocks. */
    public int depth() {
        return (int) layers.stream().filter(l -> l instanceof Block).count();
    }

    public double[] apply(double... x) {
        double[] z = x;
        for (Layer layer : layers) {
            z = layer.apply(z);
        }
        return z;
    }

    /** The scalar output of a network whose last layer has one output. */
    public double value(double... x) {
        return apply(x)[0];
    }
}
