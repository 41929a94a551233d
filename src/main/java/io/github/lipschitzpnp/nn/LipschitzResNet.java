package io.github.lipschitzpnp.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A 1-Lipschitz residual network: lift ({@link NormConstrainedLinear}), a stack of
 * {@link GradientStepBlock}s (with a {@link NormConstrainedLinear} wherever the width changes),
 * then a projection. Forms:
 * <ul>
 *   <li>{@link Form#VECTOR} dense {@code R^d -> R^m}, or image to image ({@code 1 -> C -> 1}
 *       channels, 2D or 3D): a denoiser.</li>
 *   <li>{@link Form#SCALAR} dense {@code R^d -> R}, or image {@code -> R} (conv blocks, then
 *       {@link PixelSumPool} and a dense {@code C -> 1} projection of norm {@code <= 1}): a
 *       regulariser whose input gradient {@link #inputGradient} comes from autograd.</li>
 * </ul>
 * Every layer is 1-Lipschitz when frozen, so the network is; {@link LipschitzCertificate}
 * multiplies the per-layer bounds.
 */
public final class LipschitzResNet extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Vector-valued (denoiser) or scalar-valued (regulariser). */
    public enum Form { VECTOR, SCALAR }

    private final Builder config;
    private final List<LipschitzLayer> layers = new ArrayList<>();
    private final ai.djl.nn.Parameter mixRho;

    private LipschitzResNet(Builder b) {
        super(VERSION);
        this.config = b;
        if (b.identityMix && (b.form != Form.VECTOR || b.spatialDims == 0)) {
            throw new IllegalArgumentException("the identity mix is for image-to-image networks only");
        }
        this.mixRho = b.identityMix ? addParameter(ai.djl.nn.Parameter.builder().setName("mix_rho")
                .setType(ai.djl.nn.Parameter.Type.OTHER).optShape(new Shape(1))
                .optInitializer((m, sh, t) -> m.zeros(sh, t)).build()) : null;
        LayerKind blockKind = b.spatialDims == 0 ? LayerKind.DENSE : LayerKind.conv(b.spatialDims);
        int[] widths = b.widths != null ? b.widths : repeat(b.width, b.depth);
        if (b.coarseBlocks > 0 && (b.form != Form.VECTOR || b.spatialDims != 2 || b.widths != null
                || b.coarseBlocks > widths.length)) {
            throw new IllegalArgumentException("coarse blocks are for 2D image-to-image networks of one width, "
                    + "at most depth of them");
        }
        int before = (widths.length - b.coarseBlocks) / 2;
        int after = before + b.coarseBlocks;
        int inChannels = b.spatialDims == 0 ? b.inputSize : 1;
        int liftK = b.spatialDims == 0 ? 1 : b.kernelSize;
        add("lift", new NormConstrainedLinear(blockKind, inChannels, widths[0], liftK, b.unconstrained,
                b.powerIterationSize));
        for (int j = 0; j < widths.length; j++) {
            if (j > 0 && widths[j] != widths[j - 1]) {
                add("change" + j, new NormConstrainedLinear(blockKind, widths[j - 1], widths[j], 1,
                        b.unconstrained, b.powerIterationSize));
            }
            boolean coarse = b.coarseBlocks > 0 && j >= before && j < after;
            if (coarse && j == before) {
                add("down" + j, new SpaceToDepth(COARSE_FACTOR, SpaceToDepth.Direction.DOWN));
            }
            int state = coarse ? widths[j] * COARSE_FACTOR * COARSE_FACTOR : widths[j];
            GradientStepBlock.Builder gb = GradientStepBlock.builder().kind(blockKind).width(state)
                    .hiddenWidth(b.hiddenWidth > 0 ? b.hiddenWidth : widths[j]).kernelSize(b.kernelSize)
                    .activation(b.activation).unconstrained(b.unconstrained)
                    .powerIterationSize(b.powerIterationSize);
            if (b.learnTauFraction > 0) {
                gb.tau(b.learnTauFraction * b.tau).learnTau(b.tau);
            } else {
                if (b.tauSet || !b.learnTau) {
                    gb.tau(b.tau);
                }
                if (b.learnTau) {
                    gb.learnTau(b.tauMax);
                }
            }
            add("block" + j, gb.build());
            if (coarse && j == after - 1) {
                add("up" + j, new SpaceToDepth(COARSE_FACTOR, SpaceToDepth.Direction.UP));
            }
        }
        int last = widths[widths.length - 1];
        if (b.form == Form.SCALAR) {
            if (b.spatialDims > 0) {
                add("pool", new PixelSumPool());
            }
            add("project", new NormConstrainedLinear(LayerKind.DENSE, last, 1, 1, b.unconstrained,
                    b.powerIterationSize));
        } else if (b.spatialDims == 0) {
            add("project", new NormConstrainedLinear(LayerKind.DENSE, last, b.outputSize, 1, b.unconstrained,
                    b.powerIterationSize));
        } else {
            add("project", new NormConstrainedLinear(blockKind, last, 1, b.kernelSize, b.unconstrained,
                    b.powerIterationSize));
        }
    }

    private static int[] repeat(int w, int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, w);
        return a;
    }

    /** Cells of coarse blocks are COARSE_FACTOR x COARSE_FACTOR pixels. */
    public static final int COARSE_FACTOR = 2;

    private <B extends AbstractBlock & LipschitzLayer> void add(String name, B block) {
        addChildBlock(name, block);
        layers.add(block);
    }

    /** A builder with defaults: 2D image denoiser, width 16, depth 4, kernel 3, ReLU, tau 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The layers in order (lift, blocks and channel changes, [pool], projection). */
    public List<LipschitzLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** The gradient-step blocks. */
    public List<GradientStepBlock> blocks() {
        List<GradientStepBlock> out = new ArrayList<>();
        for (LipschitzLayer l : layers) {
            if (l instanceof GradientStepBlock) {
                out.add((GradientStepBlock) l);
            }
        }
        return out;
    }

    /** Vector or scalar. */
    public Form form() {
        return config.form;
    }

    /** 0 (dense), 2 or 3. */
    public int spatialDims() {
        return config.spatialDims;
    }

    /** Whether the constraints are switched off. */
    public boolean isUnconstrained() {
        return config.unconstrained;
    }

    /** Freezes every layer (see {@link LipschitzLayer#freeze}). */
    public void freeze(int gridSize) {
        for (LipschitzLayer l : layers) {
            l.freeze(gridSize);
        }
    }

    /** Unfreezes every layer. */
    public void unfreeze() {
        for (LipschitzLayer l : layers) {
            l.unfreeze();
        }
    }

    /** Whether every layer is frozen. */
    public boolean isFrozen() {
        return layers.stream().allMatch(LipschitzLayer::isFrozen);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        Shape beforeDown = null;
        for (Block child : children.values()) {
            if (SpaceToDepth.is(child, SpaceToDepth.Direction.DOWN)) {
                beforeDown = current.head().getShape();
            }
            current = child.forward(ps, current, training, params);
            if (SpaceToDepth.is(child, SpaceToDepth.Direction.UP)) {
                // undo DOWN's zero padding: a crop, norm 1
                NDArray y = current.head();
                if (y.getShape().get(2) != beforeDown.get(2) || y.getShape().get(3) != beforeDown.get(3)) {
                    current = new NDList(y.get(new ai.djl.ndarray.index.NDIndex(":, :, :{}, :{}",
                            beforeDown.get(2), beforeDown.get(3))));
                }
            }
        }
        if (mixRho == null) {
            return current;
        }
        NDArray x = inputs.head();
        NDArray a = LayerKind.own(ai.djl.nn.Activation.sigmoid(ps.getValue(mixRho, x.getDevice(), training)),
                x.getManager());
        return new NDList(current.head().sub(x).mul(a).add(x));
    }

    /** Whether the output mixes the input back in (see {@link Builder#identityMix}). */
    public boolean hasIdentityMix() {
        return mixRho != null;
    }

    /** The mix weight {@code a} in {@code (1 - a) x + a N(x)}; 1 without a mix. */
    public double mixWeight() {
        if (mixRho == null) {
            return 1.0;
        }
        double rho = mixRho.getArray().toType(DataType.FLOAT64, false).getDouble(0);
        return 1 / (1 + Math.exp(-rho));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] current = inputShapes;
        Shape beforeDown = null;
        for (Block child : children.values()) {
            if (SpaceToDepth.is(child, SpaceToDepth.Direction.DOWN)) {
                beforeDown = current[0];
            }
            current = child.getOutputShapes(current);
            if (SpaceToDepth.is(child, SpaceToDepth.Direction.UP)) {
                current = new Shape[] {new Shape(current[0].get(0), current[0].get(1), beforeDown.get(2),
                        beforeDown.get(3))};
            }
        }
        return current;
    }

    /** How many of the middle blocks run at half resolution (0: none). */
    public int coarseBlocks() {
        return config.coarseBlocks;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] current = inputShapes;
        for (Pair<String, Block> child : children) {
            child.getValue().initialize(manager, dataType, current);
            current = child.getValue().getOutputShapes(current);
        }
    }

    /**
     * Inference: {@code f(x)} with the current (frozen or estimated) step sizes, no power-iteration
     * update. The result belongs to {@code x}'s manager.
     */
    public NDArray apply(NDArray x) {
        return forward(new ParameterStore(x.getManager(), false), new NDList(x), false).head();
    }

    /**
     * The gradient of {@code sum over the batch of R(x)} with respect to the input (scalar
     * form), by autograd through the network in inference mode. The result belongs to
     * {@code x}'s manager. Autograd also accumulates into the parameters' gradients: zero them
     * before a hand-written training step that follows.
     */
    public NDArray inputGradient(NDArray x) {
        if (config.form != Form.SCALAR) {
            throw new IllegalStateException("input gradients are for the scalar form");
        }
        NDManager m = x.getManager();
        ParameterStore ps = new ParameterStore(m, false);
        try (NDManager sub = m.newSubManager()) {
            NDArray xi = x.duplicate();
            xi.attach(sub);
            NDArray grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                xi.setRequiresGradient(true);
                NDArray r = forward(ps, new NDList(xi), false).head().sum();
                gc.backward(r);
                grad = xi.getGradient().duplicate();
            }
            grad.attach(m);
            return grad;
        }
    }

    /** Builder for {@link LipschitzResNet}. */
    public static final class Builder {
        private Form form = Form.VECTOR;
        private int spatialDims = 2;
        private int inputSize = 1;
        private int outputSize = 1;
        private int width = 16;
        private int hiddenWidth = -1;
        private int[] widths;
        private int depth = 4;
        private int kernelSize = 3;
        private Activation activation = Activation.RELU;
        private double tau = 1.0;
        private boolean learnTau;
        private double tauMax = 1.0;
        private boolean unconstrained;
        private int powerIterationSize = 16;
        private boolean tauSet;
        private boolean identityMix;
        private int coarseBlocks;
        private double learnTauFraction;

        private Builder() {
        }

        /**
         * Every block learns {@code tau} in (0, t] where t is {@link #tau}, starting at
         * {@code fraction * t}; 0 leaves tau fixed.
         */
        public Builder learnTauFrom(double fraction) {
            if (fraction > 0) {
                if (!(fraction < 1)) {
                    throw new IllegalArgumentException("the starting fraction of a learned tau must be below 1");
                }
                this.learnTauFraction = fraction;
            }
            return this;
        }

        /**
         * 2D image-to-image form only: the middle {@code n} blocks run at half resolution. A
         * {@link SpaceToDepth} (an isometry) moves each 2 x 2 pixel cell of the {@code C}-channel
         * state into {@code 4 C} channels before them and back after them (then the zero padding of
         * odd sizes is cropped); their {@code W} maps the {@code 4 C} channels to the hidden width
         * (default {@code C}), so a coarse block costs what a full-resolution one does while its
         * step reaches twice as far. 0 (default): every block at full resolution.
         */
        public Builder coarseBlocks(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("coarse blocks must be >= 0, got " + n);
            }
            this.coarseBlocks = n;
            return this;
        }

        /** Vector (default) or scalar output. */
        public Builder form(Form f) {
            this.form = f;
            return this;
        }

        /** A dense network {@code R^inputSize -> R^outputSize} (outputSize ignored for scalar form). */
        public Builder dense(int inputSize, int outputSize) {
            this.spatialDims = 0;
            this.inputSize = inputSize;
            this.outputSize = outputSize;
            return this;
        }

        /** An image network on single-channel 2D or 3D images, input {@code (B, 1, ...)}. */
        public Builder image(int dims) {
            if (dims != 2 && dims != 3) {
                throw new IllegalArgumentException("images are 2D or 3D");
            }
            this.spatialDims = dims;
            return this;
        }

        /** Width (channels) C of the blocks. */
        public Builder width(int c) {
            this.width = c;
            return this;
        }

        /** Per-block widths; a 1x1 norm-constrained map is inserted where consecutive widths differ. */
        public Builder widths(int... w) {
            this.widths = w.clone();
            this.depth = w.length;
            return this;
        }

        /** Hidden width of W in each block (default: the block's width). */
        public Builder hiddenWidth(int h) {
            this.hiddenWidth = h;
            return this;
        }

        /** Number of gradient-step blocks. */
        public Builder depth(int n) {
            this.depth = n;
            return this;
        }

        /** Odd kernel size (images). */
        public Builder kernelSize(int k) {
            this.kernelSize = k;
            return this;
        }

        /** Activation of every block. */
        public Builder activation(Activation a) {
            this.activation = a;
            return this;
        }

        /** {@code tau} in (0, 1]. */
        public Builder tau(double t) {
            this.tau = t;
            this.tauSet = true;
            return this;
        }

        /**
         * Image-to-image form only: output {@code (1 - a) x + a N(x)} with a learned
         * {@code a = sigmoid(rho)} in (0, 1). A convex combination of the identity and a
         * 1-Lipschitz map is 1-Lipschitz, with bound {@code (1 - a) + a Lip(N)}; it lets a
         * low-noise denoiser stay close to the identity without having to learn it.
         */
        public Builder identityMix(boolean on) {
            this.identityMix = on;
            return this;
        }

        /** Learn {@code tau = tauMax * sigmoid(rho)} in every block. */
        public Builder learnTau(double max) {
            this.learnTau = true;
            this.tauMax = max;
            return this;
        }

        /** Switch all constraints off (comparison baseline, no guarantee). */
        public Builder unconstrained(boolean on) {
            this.unconstrained = on;
            return this;
        }

        /** Image side of the power-iteration vectors. */
        public Builder powerIterationSize(int n) {
            this.powerIterationSize = n;
            return this;
        }

        /** Builds the network; initialise it with {@code initialize(manager, type, inputShape)}. */
        public LipschitzResNet build() {
            if (widths == null && (depth < 1 || width < 1)) {
                throw new IllegalArgumentException("depth and width must be positive");
            }
            return new LipschitzResNet(this);
        }
    }
}
