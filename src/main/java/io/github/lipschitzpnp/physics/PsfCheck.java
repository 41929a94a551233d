package io.github.lipschitzpnp.physics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/**
 * Checks a point-spread function before it becomes a convolution operator. Errors
 * (IllegalArgumentException, with the fix in the message): non-finite values, an all-zero PSF, a
 * non-positive sum, a dimensionality different from the image's, a PSF larger than the image in
 * any dimension. Warnings (collected, the PSF is still used): negative values (kept as they are),
 * a sum different from 1 (the PSF is normalised to sum 1).
 */
public final class PsfCheck {

    /** The checked, normalised PSF (flat, x fastest), its dimensions, and the warnings raised. */
    public record Result(float[] psf, long[] dims, List<String> warnings) {
    }

    private PsfCheck() {
    }

    /**
     * @param psf the PSF, centred at index {@code floor(size/2)} in every dimension
     * @param imageDims the dimensions of the images it will blur
     */
    public static Result check(RandomAccessibleInterval<? extends RealType<?>> psf, long[] imageDims) {
        if (psf == null) {
            throw new IllegalArgumentException("PSF is null");
        }
        long[] dims = Intervals.dimensionsAsLongArray(psf);
        if (dims.length != imageDims.length) {
            throw new IllegalArgumentException("PSF is " + dims.length + "D (" + Arrays.toString(dims)
                    + ") but the image is " + imageDims.length + "D (" + Arrays.toString(imageDims)
                    + "); use a PSF with the image's number of dimensions");
        }
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] > imageDims[d]) {
                throw new IllegalArgumentException("PSF " + Arrays.toString(dims) + " is larger than the image "
                        + Arrays.toString(imageDims) + " in dimension " + d
                        + "; crop the PSF around its centre (or pad the image)");
            }
        }
        float[] p = FloatImages.copyData(psf);
        List<String> warnings = new ArrayList<>();
        double sum = 0;
        int negatives = 0;
        double negMass = 0;
        boolean anyNonZero = false;
        for (int i = 0; i < p.length; i++) {
            float v = p[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("PSF value at flat index " + i + " (x fastest) is " + v
                        + "; a PSF must be finite: replace NaN/Inf (e.g. by 0) or regenerate the PSF");
            }
            if (v != 0) {
                anyNonZero = true;
            }
            if (v < 0) {
                negatives++;
                negMass -= v;
            }
            sum += v;
        }
        if (!anyNonZero) {
            throw new IllegalArgumentException("PSF is all zero; load the right file or generate a PSF");
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("PSF sums to " + sum
                    + " (not positive); a PSF must be mostly non-negative: check its sign or background subtraction");
        }
        if (negatives > 0) {
            warnings.add(String.format("PSF has %d negative values (total %.3g, %.3g%% of the sum); they are kept, "
                    + "but a PSF should be non-negative: clip them to 0 or subtract less background",
                    negatives, -negMass, 100 * negMass / sum));
        }
        if (Math.abs(sum - 1) > 1e-5) {
            warnings.add(String.format("PSF summed to %.6g; normalised to sum 1", sum));
        }
        double inv = 1.0 / sum;
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (p[i] * inv);
        }
        return new Result(p, dims, List.copyOf(warnings));
    }
}
