package io.github.lipschitzpnp.physics;

/** How a convolution treats the image outside its borders. */
public enum Boundary {
    /** The image repeats (circular convolution); diagonalised by the DFT. */
    PERIODIC,
    /** The image is zero outside; the data has the image's size ("same" convolution). */
    ZERO,
    /** The image is mirrored at its borders (half-sample symmetric: x[-1] = x[0]). */
    REFLECTIVE
}
