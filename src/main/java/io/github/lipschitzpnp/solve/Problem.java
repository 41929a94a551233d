package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * An inverse problem {@code y = A x + noise}: the operator, the data, and optionally a reference
 * image (for PSNR/SSIM histories) and an initial guess (warm start). Immutable: the images are
 * copied on construction, so the caller's images are never read again nor modified.
 */
public final class Problem {

    private final LinearOperator operator;
    private final float[] data;
    private final float[] reference;
    private final float[] initial;
    private final double dataRange;

    private Problem(LinearOperator operator, float[] data, float[] reference, float[] initial, double dataRange) {
        this.operator = operator;
        this.data = data;
        this.reference = reference;
        this.initial = initial;
        this.dataRange = dataRange;
    }

    /** A problem with operator {@code a} and measured data {@code y} (dimensions = a's range). */
    public static Problem of(LinearOperator a, RandomAccessibleInterval<FloatType> y) {
        Objects.requireNonNull(a, "operator");
        Objects.requireNonNull(y, "data");
        checkDims("data", Intervals.dimensionsAsLongArray(y), a.rangeDimensions());
        return new Problem(a, FloatImages.copyData(y), null, null, Double.NaN);
    }

    /** The same problem with a reference (ground-truth) image for metrics. */
    public Problem withReference(RandomAccessibleInterval<FloatType> xTrue) {
        Objects.requireNonNull(xTrue, "reference");
        checkDims("reference", Intervals.dimensionsAsLongArray(xTrue), operator.domainDimensions());
        return new Problem(operator, data, FloatImages.copyData(xTrue), initial, dataRange);
    }

    /** The same problem with an initial guess (warm start) instead of the default A^T y. */
    public Problem withInitial(RandomAccessibleInterval<FloatType> x0) {
        Objects.requireNonNull(x0, "initial");
        checkDims("initial guess", Intervals.dimensionsAsLongArray(x0), operator.domainDimensions());
        return new Problem(operator, data, reference, FloatImages.copyData(x0), dataRange);
    }

    /**
     * The same problem with the data range used by PSNR/SSIM (e.g. 1 for images in [0, 1]); by
     * default the range max - min of the reference.
     */
    public Problem withDataRange(double range) {
        if (!(range > 0) || !Double.isFinite(range)) {
            throw new IllegalArgumentException("data range must be positive and finite, got " + range);
        }
        return new Problem(operator, data, reference, initial, range);
    }

    public LinearOperator operator() {
        return operator;
    }

    /** The data, as a copy. */
    public RandomAccessibleInterval<FloatType> data() {
        return FloatImages.wrap(data.clone(), operator.rangeDimensions());
    }

    public Optional<RandomAccessibleInterval<FloatType>> reference() {
        return reference == null ? Optional.empty()
                : Optional.of(FloatImages.wrap(reference.clone(), operator.domainDimensions()));
    }

    public Optional<RandomAccessibleInterval<FloatType>> initial() {
        return initial == null ? Optional.empty()
                : Optional.of(FloatImages.wrap(initial.clone(), operator.domainDimensions()));
    }

    /** The data range for metrics: the one given, else the reference's max - min, else NaN. */
    public double dataRange() {
        if (!Double.isNaN(dataRange) || reference == null) {
            return dataRange;
        }
        return Metrics.range(reference);
    }

    // Package-private flat access for the solvers; callers must not modify these arrays.
    float[] dataArray() {
        return data;
    }

    float[] referenceArray() {
        return reference;
    }

    float[] initialArray() {
        return initial;
    }

    long[] domain() {
        return operator.domainDimensions();
    }

    long[] range() {
        return operator.rangeDimensions();
    }

    private static void checkDims(String what, long[] got, long[] want) {
        if (!Arrays.equals(got, want)) {
            throw new IllegalArgumentException(what + " has dimensions " + Arrays.toString(got)
                    + " but the operator expects " + Arrays.toString(want));
        }
    }
}
