package io.github.lipschitzpnp.solve;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Called once per iteration, for progress bars, cancel buttons and live previews.
 */
@FunctionalInterface
public interface IterationListener {

    /**
     * @param iteration the 1-based number of the iteration just finished
     * @param residual  the fixed-point residual ||s_{k+1} - s_k|| of that iteration
     * @param current   the current image estimate as a read-only view, valid only during the call
     *                  (copy it, e.g. with FloatImages.copy, to keep it)
     * @return {@code true} to continue, {@code false} to stop (the result is then
     *         {@link StopReason#CANCELLED} and keeps this iterate)
     */
    boolean onIteration(int iteration, double residual, RandomAccessibleInterval<FloatType> current);
}
