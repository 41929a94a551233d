package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;

import java.util.Locale;
import java.util.Objects;

/**
 * A monotone activation with slopes in [0, 1], the condition under which the gradient-step block
 * {@code x - h W^T s(W x + b)} is non-expansive: {@link Kind#RELU} (the default),
 * {@link Kind#LEAKY_RELU} with slope {@code alpha} in [0, 1) for negative inputs, or the saturating
 * {@link Kind#HARDTANH} ({@code clip(x, -1, 1)}), {@link Kind#TANH}, and {@link Kind#SHRINK}
 * ({@code clip(x, -t_c, t_c)} with a threshold {@code t_c > 0} learned per hidden channel, held by
 * the block: the block is then {@code x - h W^T clip(W x + b, -t, t)}, for {@code W^T W = I/h} soft
 * thresholding of the coefficients {@code W x + b}, the learned-frame shrinkage of proximal
 * networks; ReLU blocks can only remove large coefficients, never small ones). A saturating activation makes
 * each block the gradient step of a potential that grows only linearly for large {@code |W x + b|}
 * (Huber-like, as total variation), so edges are smoothed less than noise; ReLU's potential grows
 * quadratically.
 */
public final class Activation {

    /** The two admissible activation families. */
    public enum Kind {
        /** {@code max(x, 0)}. */
        RELU,
        /** {@code max(x, alpha x)}, {@code alpha} in [0, 1). */
        LEAKY_RELU,
        /** {@code clip(x, -1, 1)}: slope 1 inside, 0 outside. */
        HARDTANH,
        /** {@code tanh(x)}: slopes in (0, 1]. */
        TANH,
        /** {@code clip(x, -t, t)} with a learned per-channel threshold {@code t > 0}: slope 1 inside, 0 outside. */
        SHRINK
    }

    /** {@code max(x, 0)}. */
    public static final Activation RELU = new Activation(Kind.RELU, 0.0);

    /** {@code clip(x, -1, 1)}. */
    public static final Activation HARDTANH = new Activation(Kind.HARDTANH, 0.0);

    /** {@code tanh(x)}. */
    public static final Activation TANH = new Activation(Kind.TANH, 0.0);

    /** The initial threshold of {@code shrink} without one given. */
    public static final double DEFAULT_SHRINK_THRESHOLD = 0.05;

    private static final String ALLOWED =
            "allowed: relu, leaky_relu, leaky_relu:ALPHA with ALPHA in [0, 1), hardtanh, tanh, shrink, "
            + "shrink:T with an initial threshold T > 0";

    private final Kind kind;
    private final double alpha;

    private Activation(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    /** Learned-threshold clip, thresholds starting at {@code t0 > 0}. */
    public static Activation shrink(double t0) {
        if (!(t0 > 0 && Double.isFinite(t0))) {
            throw new IllegalArgumentException("shrink's initial threshold must be positive and finite, got " + t0);
        }
        return new Activation(Kind.SHRINK, t0);
    }

    /** Leaky ReLU {@code max(x, alpha x)} with {@code alpha} in [0, 1). */
    public static Activation leakyRelu(double alpha) {
        if (!(alpha >= 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("leaky_relu slope alpha must lie in [0, 1), got " + alpha
                    + "; the block's 1-Lipschitz guarantee needs a monotone activation with slopes in [0, 1]");
        }
        return new Activation(Kind.LEAKY_RELU, alpha);
    }

    /**
     * Parses "relu", "leaky_relu" (alpha 0.01), "leaky_relu:ALPHA", "hardtanh" (or "clip") or
     * "tanh". Anything else (gelu, silu, swish, mish, sin, abs, ...) is refused: those are not
     * monotone with slopes in [0, 1].
     */
    public static Activation parse(String text) {
        String t = Objects.requireNonNull(text, "activation").trim().toLowerCase(Locale.ROOT);
        if (t.equals("relu")) {
            return RELU;
        }
        if (t.equals("hardtanh") || t.equals("clip")) {
            return HARDTANH;
        }
        if (t.equals("tanh")) {
            return TANH;
        }
        if (t.equals("shrink")) {
            return shrink(DEFAULT_SHRINK_THRESHOLD);
        }
        if (t.startsWith("shrink:")) {
            try {
                return shrink(Double.parseDouble(t.substring("shrink:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read the shrink threshold in '" + text + "'; " + ALLOWED);
            }
        }
        if (t.equals("leaky_relu") || t.equals("leakyrelu")) {
            return leakyRelu(0.01);
        }
        if (t.startsWith("leaky_relu:")) {
            double a;
            try {
                a = Double.parseDouble(t.substring("leaky_relu:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read the leaky_relu slope in '" + text + "'; " + ALLOWED);
            }
            return leakyRelu(a);
        }
        throw new IllegalArgumentException("activation '" + text + "' refused: the block's 1-Lipschitz guarantee "
                + "needs a monotone activation with slopes in [0, 1]; " + ALLOWED);
    }

    /** The family. */
    public Kind kind() {
        return kind;
    }

    /** Negative-side slope (0 for ReLU; for {@link Kind#SHRINK} the initial threshold). */
    public double alpha() {
        return alpha;
    }

    /** Whether the block learns a threshold per hidden channel ({@link Kind#SHRINK}). */
    public boolean learnsThreshold() {
        return kind == Kind.SHRINK;
    }

    /** The initial threshold of {@link Kind#SHRINK}. */
    public double initialThreshold() {
        if (kind != Kind.SHRINK) {
            throw new IllegalStateException(this + " has no threshold");
        }
        return alpha;
    }

    /**
     * {@code clip(x, -t, t)} with {@code t > 0} broadcast against {@code x} (one per channel):
     * {@link Kind#SHRINK}'s activation, differentiable in {@code x} and {@code t}.
     */
    public static NDArray clip(NDArray x, NDArray t) {
        return x.minimum(t).maximum(t.neg());
    }

    /**
     * Applies the activation elementwise (PyTorch's relu / leaky_relu, no scalar tensors that
     * autograd would have to keep); the result belongs to {@code x}'s manager.
     */
    public NDArray apply(NDArray x) {
        if (kind == Kind.SHRINK) {
            throw new IllegalStateException("shrink needs its thresholds: use clip(x, t)");
        }
        if (kind == Kind.HARDTANH) {
            return x.clip(-1f, 1f);
        }
        if (kind == Kind.TANH) {
            return x.tanh();
        }
        if (kind == Kind.RELU || alpha == 0.0) {
            return ai.djl.nn.Activation.relu(x);
        }
        return ai.djl.nn.Activation.leakyRelu(x, (float) alpha);
    }

    /** Applies the activation to one double. */
    public double apply(double x) {
        switch (kind) {
            case HARDTANH:
                return Math.max(-1.0, Math.min(1.0, x));
            case TANH:
                return Math.tanh(x);
            case SHRINK:
                throw new IllegalStateException("shrink needs its thresholds");
            default:
                return x >= 0 ? x : alpha * x;
        }
    }

    /** The text {@link #parse} reads back. */
    @Override
    public String toString() {
        switch (kind) {
            case RELU:
                return "relu";
            case HARDTANH:
                return "hardtanh";
            case TANH:
                return "tanh";
            case SHRINK:
                return alpha == DEFAULT_SHRINK_THRESHOLD ? "shrink" : "shrink:" + alpha;
            default:
                return "leaky_relu:" + alpha;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation && ((Activation) o).kind == kind && ((Activation) o).alpha == alpha;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(alpha);
    }
}
