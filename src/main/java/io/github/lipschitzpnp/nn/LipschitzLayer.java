package io.github.lipschitzpnp.nn;

/** A layer that can be frozen for inference and report a certified Lipschitz bound. */
public interface LipschitzLayer {

    /**
     * Freezes the layer: its map no longer depends on power-iteration state, and its certified
     * bound is computed with rigorous operator-norm upper bounds (frequency grid of side
     * {@code gridSize} for convolutions).
     */
    void freeze(int gridSize);

    /** Back to training behaviour. */
    void unfreeze();

    /** Whether {@link #freeze} is in effect. */
    boolean isFrozen();

    /** The certified bound of the frozen layer and the numbers behind it. */
    LipschitzCertificate.LayerBound layerBound();
}
