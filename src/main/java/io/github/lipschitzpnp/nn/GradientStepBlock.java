package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The gradient-step block {@code F(x) = x - h W^T s(W x + b)} with a monotone activation
 * {@code s} of slopes in [0, 1] and step {@code h = tau * 2 / ||W||^2}, {@code tau} in (0, 1]:
 * its Jacobian {@code I - h W^T D W} has eigenvalues in [-1, 1], so F is 1-Lipschitz.
 *
 * <p>In training {@code ||W||} is the power-iteration estimate {@code sigma = u^T W v}
 * (differentiable in W); {@code tau} is fixed or learned as {@code tauMax * sigmoid(rho)}.
 * {@link #freeze(int)} fixes {@code h_frozen = min(tau * 2 / sigma_PI^2, 2 / sigma_upper^2)},
 * {@code sigma_upper} a rigorous upper bound on {@code ||W||}, so the frozen block is certified
 * 1-Lipschitz. In the unconstrained variant (for comparisons) {@code h} is a free parameter and
 * nothing is certified beyond {@code max(1, |1 - h sigma_upper^2|)}.
 *
 * <p>Input shapes: {@code (B, width)} dense, {@code (B, width, H, W)} 2D, {@code (B, width, D, H, W)} 3D.
 */
public final class GradientStepBlock extends SpectralLayer {

    private static final byte VERSION = 1;

    private final int width;
    private final int hiddenWidth;
    private final Activation activation;
    private final double tau;
    private final double tauMax;
    private final boolean learnTau;
    private final boolean unconstrained;
    private final Parameter bias;
    private final Parameter logThreshold;
    private final Parameter rho;
    private final Parameter hFree;
    private double hFrozen = Double.NaN;
    private boolean analytic;

    private GradientStepBlock(Builder b) {
        super(VERSION, b.kind, b.hiddenWidth, b.width, b.kernelSize, b.powerIterationSize,
                b.weightStd > 0 ? b.weightStd : defaultStd(b.kind, b.hiddenWidth, b.width, b.kernelSize));
        this.width = b.width;
        this.hiddenWidth = b.hiddenWidth;
        this.activation = b.activation;
        this.tau = b.tau;
        this.tauMax = b.tauMax;
        this.learnTau = b.learnTau;
        this.unconstrained = b.unconstrained;
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(hiddenWidth)).build());
        if (activation.learnsThreshold()) {
            // thresholds t = exp(log_threshold) > 0 per hidden channel: any value keeps the slopes in [0, 1]
            logThreshold = addParameter(Parameter.builder().setName("log_threshold").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(hiddenWidth))
                    .optInitializer(new ConstantInitializer((float) Math.log(activation.initialThreshold())))
                    .build());
        } else {
            logThreshold = null;
        }
        if (learnTau && !unconstrained) {
            double ratio = tau / tauMax;
            float logit = (float) Math.log(ratio / (1 - ratio));
            rho = addParameter(Parameter.builder().setName("rho").setType(Parameter.Type.OTHER)
                    .optShape(new Shape()).optInitializer(new ConstantInitializer(logit)).build());
        } else {
            rho = null;
        }
        if (unconstrained) {
            hFree = addParameter(Parameter.builder().setName("h").setType(Parameter.Type.OTHER)
                    .optShape(new Shape()).optInitializer(new ConstantInitializer((float) tau)).build());
        } else {
            hFree = null;
        }
    }

    /** A builder; {@code kind}, width and hidden width are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A dense ReLU block with explicit weights {@code W} (hidden x width), bias {@code b} and
     * {@code tau}, initialised in float64 on {@code manager}'s device and frozen with
     * {@code h = tau * 2 / ||W||^2} exactly ({@code ||W||} to machine precision). For instance
     * {@code W = [[-1]], b = [0], tau = 1} is {@code |x|}, and {@code W = [[1, -1]], b = [0],
     * tau = 1} ({@code h = 1}) maps {@code (x1, x2)} to {@code (min, max)}.
     */
    public static GradientStepBlock analytic(double[][] w, double[] b, double tau, NDManager manager) {
        return analytic(w, b, tau, Activation.RELU, manager);
    }

    /** As {@link #analytic(double[][], double[], double, NDManager)} with another admissible activation. */
    public static GradientStepBlock analytic(double[][] w, double[] b, double tau, Activation activation,
            NDManager manager) {
        int hidden = w.length;
        int width = w[0].length;
        if (b.length != hidden) {
            throw new IllegalArgumentException("bias needs " + hidden + " entries");
        }
        double[] flat = new double[hidden * width];
        for (int o = 0; o < hidden; o++) {
            if (w[o].length != width) {
                throw new IllegalArgumentException("W rows must have equal length");
            }
            System.arraycopy(w[o], 0, flat, o * width, width);
        }
        GradientStepBlock block = builder().kind(LayerKind.DENSE).width(width).hiddenWidth(hidden)
                .activation(activation).tau(tau).build();
        block.weight.setInitializer((m, s, t) -> m.create(flat, s).toType(t, false));
        block.bias.setInitializer((m, s, t) -> m.create(b.clone(), s).toType(t, false));
        block.initialize(manager, DataType.FLOAT64, new Shape(1, width));
        double norm = SpectralBounds.exactNorm(w);
        block.analytic = true;
        block.frozen = true;
        block.hFrozen = tau * 2.0 / (norm * norm);
        block.sigmaPowerIteration = norm;
        block.sigmaUpper = SpectralBounds.gramUpperBound(w);
        return block;
    }

    /** The step size now: frozen value, or the current estimate {@code tau * 2 / sigma_PI^2}. */
    public double h() {
        if (frozen) {
            return hFrozen;
        }
        if (unconstrained) {
            return scalar(hFree.getArray());
        }
        double s = powerIterationEstimate();
        return currentTau() * 2.0 / (s * s);
    }

    /** Channels of the state {@code x}. */
    public int width() {
        return width;
    }

    /** Current {@code tau} (fixed, or {@code tauMax * sigmoid(rho)}). */
    public double currentTau() {
        if (rho == null) {
            return tau;
        }
        double r = scalar(rho.getArray());
        return tauMax / (1.0 + Math.exp(-r));
    }

    private static double scalar(NDArray a) {
        try (NDManager tmp = NDManager.newBaseManager(a.getDevice())) {
            return LayerKind.own(a.toType(DataType.FLOAT64, true), tmp).getDouble();
        }
    }

    /** Whether the step-size constraint is switched off. */
    public boolean isUnconstrained() {
        return unconstrained;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    @Override
    public void freeze(int gridSize) {
        if (analytic) {
            frozen = true;
            return;
        }
        sigmaUpper = weightNormUpperBound(gridSize);
        sigmaPowerIteration = powerIterationEstimate();
        if (unconstrained) {
            hFrozen = scalar(hFree.getArray());
        } else {
            double t = currentTau();
            hFrozen = Math.min(t * 2.0 / (sigmaPowerIteration * sigmaPowerIteration),
                    2.0 / (sigmaUpper * sigmaUpper));
        }
        frozen = true;
    }

    @Override
    public void unfreeze() {
        if (!analytic) {
            super.unfreeze();
        }
    }

    @Override
    public LipschitzCertificate.LayerBound layerBound() {
        if (!frozen) {
            throw new IllegalStateException("freeze the block before certifying it");
        }
        double hs = hFrozen * sigmaUpper * sigmaUpper;
        double bound = Math.max(1.0, Math.abs(1.0 - hs));
        return new LipschitzCertificate.LayerBound(getClass().getSimpleName() + "(" + kind + ", " + width + "->"
                + hiddenWidth + ")", sigmaPowerIteration, sigmaUpper, hFrozen, bound);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDManager local = x.getManager();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray bb = kind == LayerKind.DENSE ? b : LayerKind.own(b.reshape(biasShape()), local);
        NDArray z = kind.apply(x, w, kind == LayerKind.DENSE ? b : null, local);
        if (kind != LayerKind.DENSE) {
            z = z.add(bb);
        }
        NDArray s;
        if (logThreshold != null) {
            NDArray lt = ps.getValue(logThreshold, x.getDevice(), training);
            NDArray t = LayerKind.own(lt.exp(), local);
            s = Activation.clip(z, kind == LayerKind.DENSE ? t : LayerKind.own(t.reshape(biasShape()), local));
        } else {
            s = activation.apply(z);
        }
        NDArray g = kind.adjoint(s, w, local);
        NDArray step;
        if (frozen) {
            step = g.mul(LayerKind.constant(hFrozen, g, local));
        } else if (unconstrained) {
            step = g.mul(LayerKind.own(ps.getValue(hFree, x.getDevice(), training).duplicate(), local));
        } else {
            NDArray sigma = sigma(w, training, local);
            NDArray h;
            if (rho != null) {
                NDArray r = ps.getValue(rho, x.getDevice(), training);
                NDArray t = LayerKind.own(ai.djl.nn.Activation.sigmoid(r), local);
                h = LayerKind.constant(2.0 * tauMax, sigma, local).mul(t).div(sigma.square());
            } else {
                h = LayerKind.constant(2.0 * tau, sigma, local).div(sigma.square());
            }
            step = g.mul(h);
        }
        return new NDList(x.sub(step));
    }

    private Shape biasShape() {
        return kind == LayerKind.CONV2D ? new Shape(1, hiddenWidth, 1, 1) : new Shape(1, hiddenWidth, 1, 1, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void saveFrozenState(DataOutputStream os) throws IOException {
        os.writeDouble(hFrozen);
        os.writeBoolean(analytic);
    }

    @Override
    protected void loadFrozenState(DataInputStream is) throws IOException {
        hFrozen = is.readDouble();
        analytic = is.readBoolean();
    }

    /** Builder for {@link GradientStepBlock}. */
    public static final class Builder {
        private LayerKind kind = LayerKind.DENSE;
        private int width = -1;
        private int hiddenWidth = -1;
        private int kernelSize = 3;
        private Activation activation = Activation.RELU;
        private double tau = 1.0;
        private double tauMax = 1.0;
        private boolean learnTau;
        private boolean unconstrained;
        private int powerIterationSize = 16;
        private double weightStd = -1;
        private boolean tauSet;

        private Builder() {
        }

        /** Dense, 2D or 3D convolution. */
        public Builder kind(LayerKind k) {
            this.kind = k;
            return this;
        }

        /** Width (channels) of x. */
        public Builder width(int w) {
            this.width = w;
            return this;
        }

        /** Rows (output channels) of W. */
        public Builder hiddenWidth(int w) {
            this.hiddenWidth = w;
            return this;
        }

        /** Odd kernel size for convolutions (default 3). */
        public Builder kernelSize(int k) {
            this.kernelSize = k;
            return this;
        }

        /** Activation (default ReLU). */
        public Builder activation(Activation a) {
            this.activation = a;
            return this;
        }

        /** Fixed {@code tau} in (0, 1] (default 1); initial value when learned. */
        public Builder tau(double t) {
            this.tau = t;
            this.tauSet = true;
            return this;
        }

        /**
         * Learn {@code tau = tauMax * sigmoid(rho)}, {@code tauMax} in (0, 1]; the initial tau (set
         * by {@link #tau}, default {@code 0.9 tauMax}) must be below {@code tauMax}.
         */
        public Builder learnTau(double max) {
            this.learnTau = true;
            this.tauMax = max;
            return this;
        }

        /** Switch the step-size constraint off ({@code h} learned freely): no guarantee. */
        public Builder unconstrained(boolean on) {
            this.unconstrained = on;
            return this;
        }

        /** Image side of the power-iteration vectors (convolutions; default 16). */
        public Builder powerIterationSize(int n) {
            this.powerIterationSize = n;
            return this;
        }

        /** Std of the Gaussian initial weights (default: about unit norm). */
        public Builder weightStd(double s) {
            this.weightStd = s;
            return this;
        }

        /** Builds the block; parameters are created by {@code initialize}. */
        public GradientStepBlock build() {
            if (width < 1 || hiddenWidth < 1) {
                throw new IllegalArgumentException("width and hidden width are required");
            }
            if (!unconstrained && !(tau > 0 && tau <= 1)) {
                throw new IllegalArgumentException("tau must lie in (0, 1], got " + tau);
            }
            if (learnTau && !tauSet) {
                tau = 0.9 * tauMax;
            }
            if (learnTau && !(tauMax > 0 && tauMax <= 1 && tau < tauMax)) {
                throw new IllegalArgumentException("learned tau needs 0 < tau < tauMax <= 1");
            }
            return new GradientStepBlock(this);
        }
    }
}
