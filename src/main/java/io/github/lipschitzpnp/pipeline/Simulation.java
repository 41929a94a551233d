package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Noise;
import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import java.util.Locale;
import java.util.SplittableRandom;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/** Simulated acquisitions shared by the Fiji command and the CLI: blur, sinogram, mask, noise. */
public final class Simulation {

    /** The noise added after the forward model. */
    public enum NoiseKind {
        NONE("None"), GAUSSIAN("Gaussian"), POISSON("Poisson");

        private final String label;

        NoiseKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static NoiseKind parse(String s) {
            for (NoiseKind k : values()) {
                if (k.label.equalsIgnoreCase(s.trim()) || k.name().equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown noise '" + s + "': use None, Gaussian or Poisson");
        }
    }

    private Simulation() {
    }

    /** Convolution with a PSF (normalised to sum 1), data of the image's size. */
    public static Img<FloatType> blur(RandomAccessibleInterval<FloatType> image, RandomAccessibleInterval<FloatType> psf,
            Boundary boundary) {
        return new ConvolutionOperator(Reconstruction.normalised(psf), Intervals.dimensionsAsLongArray(image), boundary)
                .apply(image);
    }

    /**
     * The sinogram {N detectors, angles} of a square N x N slice, or for a stack N x N x Z the stack
     * of its slices' sinograms {N, angles, Z}.
     */
    public static Img<FloatType> sinogram(RandomAccessibleInterval<FloatType> slice, double[] anglesDeg) {
        int nd = slice.numDimensions();
        if ((nd != 2 && nd != 3) || slice.dimension(0) != slice.dimension(1)) {
            throw new IllegalArgumentException("a sinogram needs a square 2D slice or a stack of them, got "
                    + java.util.Arrays.toString(Intervals.dimensionsAsLongArray(slice)) + "; crop it to a square first");
        }
        int n = (int) slice.dimension(0);
        ParallelBeamRadon radon = new ParallelBeamRadon(n, anglesDeg, n);
        if (nd == 2) {
            return radon.apply(slice);
        }
        java.util.List<Img<FloatType>> sinograms = new java.util.ArrayList<>();
        for (int z = 0; z < slice.dimension(2); z++) {
            sinograms.add(radon.apply(FloatImages.plane(slice, z)));
        }
        return FloatImages.stack(sinograms);
    }

    /** A random 0/1 mask with about {@code missing} (0..1) of the pixels set to 0 (missing). */
    public static Img<FloatType> randomMask(long[] dims, double missing, long seed) {
        if (!(missing >= 0 && missing < 1)) {
            throw new IllegalArgumentException("the missing fraction must be in [0, 1), got " + missing);
        }
        float[] m = new float[Math.toIntExact(Intervals.numElements(dims))];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextDouble() < missing ? 0f : 1f;
        }
        return FloatImages.wrap(m, dims);
    }

    /** The image times the mask (missing pixels become 0). */
    public static Img<FloatType> applyMask(RandomAccessibleInterval<FloatType> image,
            RandomAccessibleInterval<FloatType> mask) {
        float[] x = FloatImages.copyData(image);
        float[] m = FloatImages.data(mask);
        for (int i = 0; i < x.length; i++) {
            x[i] *= m[i];
        }
        return FloatImages.wrap(x, Intervals.dimensionsAsLongArray(image));
    }

    /**
     * Adds noise. Gaussian: {@code level} is the standard deviation as a fraction of the data's
     * range (max - min of {@code scale}). Poisson: {@code level} is the number of photons the
     * maximum of {@code scale} collects (values are counted above the minimum; smaller = noisier).
     */
    public static Img<FloatType> noise(RandomAccessibleInterval<FloatType> data, NoiseKind kind, double level,
            Scaling scale, long seed) {
        switch (kind) {
            case NONE:
                return FloatImages.copy(data);
            case GAUSSIAN:
                return Noise.gaussian(data, level * scale.span(), seed);
            default:
                Img<FloatType> counts = Scaling.range(scale.low(), scale.high()).normalize(data);
                return scale.restore(Noise.poisson(counts, level, seed));
        }
    }

    /** "Gaussian 5%" style description of the noise. */
    public static String describeNoise(NoiseKind kind, double level) {
        switch (kind) {
            case NONE:
                return "no noise";
            case GAUSSIAN:
                return String.format(Locale.ROOT, "Gaussian noise, sigma %.3g of the range", level);
            default:
                return String.format(Locale.ROOT, "Poisson noise, %.4g photons at the maximum", level);
        }
    }
}
