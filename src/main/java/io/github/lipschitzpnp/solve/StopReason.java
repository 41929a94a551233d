package io.github.lipschitzpnp.solve;

/** Why an iterative solver stopped. */
public enum StopReason {
    /** The relative fixed-point residual fell below the tolerance. */
    CONVERGED,
    /** The iteration budget was used up. */
    MAX_ITERATIONS,
    /** A listener asked to stop, or the thread was interrupted; the last iterate is kept. */
    CANCELLED,
    /** A NaN/Inf appeared or the residual kept growing; the best iterate is returned. */
    DIVERGED
}
