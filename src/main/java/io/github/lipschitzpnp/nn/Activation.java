package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;

import java.util.Locale;
import java.util.Objects;

/**
 * A monotone activation with slopes in [0, 1], the condition under which the gradient-step block
 * {@code x - h W^T s(W x + b)} is non-expansive: {@link Kind#RELU} (the default),
 * {@link Kind#LEAKY_RELU} with slope {@code alpha} in [0, 1) for negative inputs, or the saturating
 * {@link Kind#HARDTANH} ({@code clip(x, -1, 1)}) and {@link Kind#TANH}. A saturating activation makes
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
        TANH
    }

    /** {@code max(x, 0)}. */
    public static final Activation RELU = new Activation(Kind.RELU, 0.0);

    /** {@code clip(x, -1, 1)}. */
    public static final Activation HARDTANH = new Activation(Kind.HARDTANH, 0.0);

    /** {@code tanh(x)}. */
    public static final Activation TANH = new Activation(Kind.TANH, 0.0);

    private static final String ALLOWED =
            "allowed: relu, leaky_relu, leaky_relu:ALPHA with ALPHA in [0, 1), hardtanh, tanh";

    private final Kind kind;
    private final double alpha;

    private Activation(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = alpha;
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

    /** Negative-side slope (0 for ReLU). */
    public double alpha() {
        return alpha;
    }

    /**
     * Applies the activation elementwise (PyTorch's relu / leaky_relu, no scalar tensors that
     * autograd would have to keep); the result belongs to {@code x}'s manager.
     */
    public NDArray apply(NDArray x) {
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
