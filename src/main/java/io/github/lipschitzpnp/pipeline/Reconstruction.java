package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.physics.LinearOperator;
import io.github.lipschitzpnp.physics.MaskOperator;
import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.IterationListener;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.Regulariser;
import io.github.lipschitzpnp.solve.SolverResult;
import java.util.Arrays;
import java.util.Objects;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * The jobs the Fiji commands and the command-line tool share, so both give identical numbers:
 * build the problem from an image (one 2D plane or one 3D volume) and its physics, scale the data
 * to [0, 1], run the chosen method and return the result in the input's units.
 *
 * <p>Scaling: for operators that keep constants (denoising, convolution with a PSF of sum 1 and
 * periodic or reflective boundaries, masks) the data's min..max is mapped to [0, 1]; for CT, where
 * a shift of the data is no shift of the image, the data is only divided by the maximum of its FBP
 * reconstruction (so the image is about [0, 1]). Images are never modified.
 */
public final class Reconstruction {

    /**
     * What to run.
     *
     * @param method     the algorithm
     * @param iterations iteration budget
     * @param tolerance  relative residual for the convergence stop (0 disables it)
     * @param lambda     regularisation weight of TV, Tikhonov and RED (ignored by the others)
     * @param penalty    the penalty of PnP-ADMM, PnP-DRS and PnP-HQS as a multiple of ||A||^2 (1 is
     *                   their default; must be 1 for the other methods)
     */
    public record Settings(Method method, int iterations, double tolerance, double lambda, double penalty) {

        /**
         * The default method for CT from a sinogram (CLI, Fiji, Spark). On the held-out sparse-view
         * CT task PnP-ADMM reached 31.42 dB with its penalty tuned (31.28 dB with gauss5 and
         * {@link #CT_PENALTY}) where PnP-PGD reached 28.49 dB and TV 31.29 dB (docs/results.md).
         */
        public static final Method CT_METHOD = Method.PNP_ADMM;

        /**
         * The default penalty (x ||A||^2) of PnP-ADMM, PnP-DRS and PnP-HQS for CT from a sinogram
         * with a denoiser trained for sigma 5/255; see {@link #ctPenalty(double)} for others.
         */
        public static final double CT_PENALTY = 0.3;

        /**
         * The default CT penalty (x ||A||^2) for a denoiser trained for noise {@code modelSigma}
         * (on the [0, 1] scale): {@code CT_PENALTY x (5/255) / modelSigma}, so 0.3 for gauss5, 0.1
         * for gauss15, 0.06 for gauss25 and 0.03 for gauss50 - the best of {0.03, 0.06, 0.1, 0.3,
         * 1} for each bundled model on held-out sparse-view CT (docs/results.md). The prior's weight
         * at the fixed point scales as rho x modelSigma^2, which this keeps in proportion to
         * modelSigma. {@link #CT_PENALTY} when the sigma is not positive.
         */
        public static double ctPenalty(double modelSigma) {
            return modelSigma > 0 && Double.isFinite(modelSigma) ? CT_PENALTY * (5.0 / 255) / modelSigma : CT_PENALTY;
        }

        /** The same settings with another penalty. */
        public Settings withPenalty(double p) {
            return new Settings(method, iterations, tolerance, lambda, p);
        }

        public Settings {
            Objects.requireNonNull(method, "method");
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
            }
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
            }
            if (!(lambda > 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("lambda must be positive, got " + lambda);
            }
            if (!(penalty > 0) || Double.isInfinite(penalty)) {
                throw new IllegalArgumentException("penalty must be positive, got " + penalty);
            }
            if (penalty != 1 && !method.hasPenalty()) {
                throw new IllegalArgumentException("a penalty applies to PnP-ADMM, PnP-DRS and PnP-HQS, not to "
                        + method.displayName());
            }
        }

        /** The default penalty (||A||^2). */
        public Settings(Method method, int iterations, double tolerance, double lambda) {
            this(method, iterations, tolerance, lambda, 1);
        }

        /** Default tolerance 1e-5 and lambda 0.01. */
        public static Settings of(Method method, int iterations) {
            return new Settings(method, iterations, 1e-5, 0.01);
        }
    }

    /**
     * A finished job: the image in the input's units and the solver's history (null for a plain
     * denoising pass).
     */
    public record Outcome(Img<FloatType> image, SolverResult result, Scaling scaling) {
        /** "PnP-ADMM, 50 iterations" style summary for titles. */
        public int iterations() {
            return result == null ? 1 : result.iterations();
        }
    }

    private Reconstruction() {
    }

    /**
     * Denoises a 2D or 3D image (3D plane by plane with a 2D model) in one pass of the denoiser.
     *
     * @param noiseSigma the image's noise standard deviation in its own units, or 0 to assume the
     *                   level the denoiser was trained for (on the [0, 1] scale of min..max)
     * @param trainedSigma the denoiser's training noise level on the [0, 1] scale (used when
     *                   {@code noiseSigma > 0})
     */
    public static Outcome denoise(RandomAccessibleInterval<FloatType> image, Denoiser denoiser, double noiseSigma,
            double trainedSigma) {
        Objects.requireNonNull(denoiser, "denoiser");
        Scaling s = Scaling.minMax(image);
        Denoiser d = SliceWiseDenoiser.forDimensions(denoiser, image.numDimensions());
        if (noiseSigma > 0 && trainedSigma > 0) {
            d = new ScaledDenoiser(d, trainedSigma / s.normalizeSigma(noiseSigma));
        }
        return new Outcome(s.restore(d.denoise(s.normalize(image))), null, s);
    }

    /** Deconvolution of a 2D image or 3D stack with a PSF of the same number of dimensions. */
    public static Outcome deconvolve(RandomAccessibleInterval<FloatType> image, RandomAccessibleInterval<FloatType> psf,
            Boundary boundary, Settings settings, Denoiser denoiser, IterationListener listener,
            RandomAccessibleInterval<FloatType> reference) {
        return deconvolve(image, psf, boundary, settings, denoiser, null, listener, reference);
    }

    /**
     * Deconvolution with either prior: {@code denoiser} for PnP methods, {@code regulariser} for
     * {@link Method#ADVERSARIAL_REG} (which starts from the data); the unused one may be null.
     */
    public static Outcome deconvolve(RandomAccessibleInterval<FloatType> image, RandomAccessibleInterval<FloatType> psf,
            Boundary boundary, Settings settings, Denoiser denoiser, Regulariser regulariser, IterationListener listener,
            RandomAccessibleInterval<FloatType> reference) {
        if (psf.numDimensions() != image.numDimensions()) {
            throw new IllegalArgumentException("the PSF is " + psf.numDimensions() + "D but the image is "
                    + image.numDimensions() + "D: use a " + image.numDimensions() + "D PSF");
        }
        LinearOperator a = new ConvolutionOperator(normalised(psf), Intervals.dimensionsAsLongArray(image), boundary);
        Scaling s = Scaling.minMax(image);
        RandomAccessibleInterval<FloatType> initial = settings.method().needsRegulariser() ? s.normalize(image) : null;
        return solveScaled(a, s.normalize(image), reference, s, settings,
                SliceWiseDenoiser.forDimensions(denoiser, a.domainDimensions().length), regulariser, initial, listener);
    }

    /**
     * Inpainting: {@code mask} is nonzero where a pixel was observed; the missing pixels of the
     * image are ignored.
     */
    public static Outcome inpaint(RandomAccessibleInterval<FloatType> image, RandomAccessibleInterval<FloatType> mask,
            Settings settings, Denoiser denoiser, IterationListener listener,
            RandomAccessibleInterval<FloatType> reference) {
        long[] dims = Intervals.dimensionsAsLongArray(image);
        if (!Arrays.equals(dims, Intervals.dimensionsAsLongArray(mask))) {
            throw new IllegalArgumentException("the mask is " + Arrays.toString(Intervals.dimensionsAsLongArray(mask))
                    + " but the image is " + Arrays.toString(dims) + ": they must have the same size");
        }
        float[] m = FloatImages.copyData(mask);
        float[] y = FloatImages.copyData(image);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        int observed = 0;
        for (int i = 0; i < m.length; i++) {
            m[i] = m[i] != 0 && Float.isFinite(m[i]) ? 1f : 0f;
            if (m[i] == 1f && Float.isFinite(y[i])) {
                observed++;
                low = Math.min(low, y[i]);
                high = Math.max(high, y[i]);
            } else {
                m[i] = 0f;
                y[i] = 0f;
            }
        }
        if (observed == 0) {
            throw new IllegalArgumentException("the mask marks no pixel as observed (observed = nonzero)");
        }
        Scaling s = Scaling.range(low, high);
        float[] scaled = FloatImages.data(s.normalize(FloatImages.wrap(y, dims)));
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0f) {
                scaled[i] = 0f;
            }
        }
        MaskOperator a = new MaskOperator(FloatImages.wrap(m, dims));
        return solveScaled(a, FloatImages.wrap(scaled, dims), reference, s, settings,
                SliceWiseDenoiser.forDimensions(denoiser, dims.length), listener);
    }

    /**
     * Parallel-beam CT of one slice: {@code sinogram} has dims {detectors, angles}; the result is
     * size x size ({@code size <= 0}: the number of detectors). FBP ignores the iteration settings.
     */
    public static Outcome reconstructCt(RandomAccessibleInterval<FloatType> sinogram, double[] anglesDeg, int size,
            Settings settings, Denoiser denoiser, IterationListener listener,
            RandomAccessibleInterval<FloatType> reference) {
        return reconstructCt(sinogram, anglesDeg, size, settings, denoiser, null, listener, reference);
    }

    /**
     * CT with either prior: {@code denoiser} for PnP methods, {@code regulariser} for
     * {@link Method#ADVERSARIAL_REG}, which starts from the FBP (Hann window, the artefact-laden
     * image the regulariser was trained against); the unused one may be null.
     */
    /**
     * The image on which every front end estimates the noise level that picks the default CT model
     * ({@code NoiseLevel.estimateNormalized}): the Ram-Lak FBP of the middle one of {@code slices}
     * sinograms, {@code plane} giving sinogram z.
     */
    public static Img<FloatType> noiseProbe(java.util.function.IntFunction<? extends RandomAccessibleInterval<FloatType>> plane,
            int slices, double[] anglesDeg, int size) {
        return fbp(plane.apply(slices / 2), anglesDeg, size);
    }

    /** Refuses a sinogram whose row count (one row per angle) differs from the number of angles. */
    public static void checkAngles(long rows, double[] anglesDeg) {
        if (rows != anglesDeg.length) {
            throw new IllegalArgumentException("the sinogram has " + rows + " rows (angles) but "
                    + anglesDeg.length + " angles were given: the angles must match the sinogram's rows");
        }
    }

    public static Outcome reconstructCt(RandomAccessibleInterval<FloatType> sinogram, double[] anglesDeg, int size,
            Settings settings, Denoiser denoiser, Regulariser regulariser, IterationListener listener,
            RandomAccessibleInterval<FloatType> reference) {
        if (sinogram.numDimensions() != 2) {
            throw new IllegalArgumentException("a sinogram slice must be 2D (detectors x angles), got "
                    + sinogram.numDimensions() + "D; reconstruct a stack slice by slice (lpnp reconstruct, "
                    + "Fiji's Reconstruct CT and lpnp spark batch do)");
        }
        long detectors = sinogram.dimension(0);
        checkAngles(sinogram.dimension(1), anglesDeg);
        int n = size > 0 ? size : (int) detectors;
        ParallelBeamRadon radon = new ParallelBeamRadon(n, anglesDeg, (int) detectors);
        Img<FloatType> fbp = new Fbp(radon, Fbp.Window.RAM_LAK).reconstruct(sinogram);
        double max = Scaling.percentiles(fbp, 0, 99.9).high();
        Scaling s = Scaling.range(0, max > 0 ? max : 1);
        if (settings == null) {
            return new Outcome(fbp, null, s);
        }
        if (settings.method().needsRegulariser()) {
            Img<FloatType> start = new Fbp(radon, Fbp.Window.HANN).reconstruct(sinogram);
            return solveScaled(radon, s.normalize(sinogram), reference, s, settings, null, regulariser,
                    s.normalize(start), listener);
        }
        return solve(radon, sinogram, reference, s, settings, denoiser, listener);
    }

    /** FBP of one sinogram slice (Ram-Lak filter), the classical one-shot baseline. */
    public static Img<FloatType> fbp(RandomAccessibleInterval<FloatType> sinogram, double[] anglesDeg, int size) {
        return reconstructCt(sinogram, anglesDeg, size, null, null, null, null).image();
    }

    /**
     * FBP of one sinogram slice {detectors, angles} with the given filter window; the result is
     * size x size ({@code size <= 0}: the number of detectors). Same checks as
     * {@link #reconstructCt}.
     */
    public static Img<FloatType> fbp(RandomAccessibleInterval<FloatType> sinogram, double[] anglesDeg, int size,
            Fbp.Window window) {
        if (window == Fbp.Window.RAM_LAK) {
            return fbp(sinogram, anglesDeg, size);
        }
        reconstructCt(sinogram, anglesDeg, size, null, null, null, null); // the same checks
        int n = size > 0 ? size : (int) sinogram.dimension(0);
        return new Fbp(new ParallelBeamRadon(n, anglesDeg, (int) sinogram.dimension(0)), window).reconstruct(sinogram);
    }

    /**
     * The general job: scales the data with {@code scaling}, solves, restores the units. The
     * reference (raw units, may be null) is scaled the same way for the PSNR/SSIM history.
     */
    public static Outcome solve(LinearOperator a, RandomAccessibleInterval<FloatType> data,
            RandomAccessibleInterval<FloatType> reference, Scaling scaling, Settings settings, Denoiser denoiser,
            IterationListener listener) {
        return solve(a, data, reference, scaling, settings, denoiser, null, listener);
    }

    /**
     * The general job with either prior: {@code denoiser} for PnP methods, {@code regulariser} for
     * {@link Method#ADVERSARIAL_REG}; the unused one may be null.
     */
    public static Outcome solve(LinearOperator a, RandomAccessibleInterval<FloatType> data,
            RandomAccessibleInterval<FloatType> reference, Scaling scaling, Settings settings, Denoiser denoiser,
            Regulariser regulariser, IterationListener listener) {
        Denoiser d = SliceWiseDenoiser.forDimensions(denoiser, a.domainDimensions().length);
        return solveScaled(a, scaling.normalize(data), reference, scaling, settings, d, regulariser, null, listener);
    }

    private static Outcome solveScaled(LinearOperator a, RandomAccessibleInterval<FloatType> scaledData,
            RandomAccessibleInterval<FloatType> reference, Scaling scaling, Settings settings, Denoiser denoiser,
            IterationListener listener) {
        return solveScaled(a, scaledData, reference, scaling, settings, denoiser, null, null, listener);
    }

    private static Outcome solveScaled(LinearOperator a, RandomAccessibleInterval<FloatType> scaledData,
            RandomAccessibleInterval<FloatType> reference, Scaling scaling, Settings settings, Denoiser denoiser,
            Regulariser regulariser, RandomAccessibleInterval<FloatType> scaledInitial, IterationListener listener) {
        Problem p = Problem.of(a, scaledData);
        if (reference != null) {
            p = p.withReference(scaling.normalize(reference));
        }
        if (scaledInitial != null) {
            p = p.withInitial(scaledInitial);
        }
        // penalty 1 leaves the solvers their own default, ||A||^2
        double rho = settings.penalty() == 1 ? Double.NaN : settings.penalty() * a.norm() * a.norm();
        var solver = settings.method().solver(denoiser, regulariser, settings.lambda(), rho)
                .maxIterations(settings.iterations()).tolerance(settings.tolerance()).listener(listener);
        SolverResult r = solver.solve(p);
        return new Outcome(scaling.restore(r.image()), r, scaling);
    }

    /** The PSF divided by its sum (a PSF of sum 1 keeps intensities); refuses sums <= 0. */
    public static Img<FloatType> normalised(RandomAccessibleInterval<FloatType> psf) {
        float[] d = FloatImages.copyData(psf);
        double sum = 0;
        for (float v : d) {
            sum += v;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("the PSF sums to " + sum + "; it must have a positive, finite sum");
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (d[i] / sum);
        }
        return FloatImages.wrap(d, Intervals.dimensionsAsLongArray(psf));
    }
}
