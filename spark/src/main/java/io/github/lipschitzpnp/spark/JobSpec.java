package io.github.lipschitzpnp.spark;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.Method;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * What a Spark job does to each image: one operation of {@link Reconstruction} and its options,
 * small and serializable so it travels to the executors inside the task closure. The command-line
 * names ({@code lpnp denoise / deconvolve / reconstruct}) map onto the three factories; the job
 * runs exactly the code the local commands run.
 *
 * @param operation   denoise, deconvolve or reconstruct (CT from a sinogram)
 * @param noiseSigma  denoise: the images' noise sigma in their units, 0 = the model's level
 * @param method      deconvolve / reconstruct: the algorithm (null for denoise, and FBP for reconstruct)
 * @param iterations  iteration budget
 * @param tolerance   relative residual stop (0 disables)
 * @param lambda      TV / Tikhonov / RED weight
 * @param penalty     PnP-ADMM / DRS / HQS penalty rho as a multiple of ||A||^2 (1 for the other methods;
 *                    NaN for CT: by model, {@link Reconstruction.Settings#ctPenalty(double)})
 * @param psf         deconvolve: the PSF's pixels (x fastest), null otherwise
 * @param psfDims     deconvolve: the PSF's dimensions
 * @param boundary    deconvolve: boundary handling of the convolution
 * @param anglesDeg   reconstruct: projection angles in degrees, one per sinogram row
 * @param size        reconstruct: side of the reconstructed image (0 = number of detectors)
 * @param overwrite   replace existing outputs
 */
public record JobSpec(Operation operation, double noiseSigma, Method method, int iterations, double tolerance,
        double lambda, double penalty, float[] psf, long[] psfDims, Boundary boundary, double[] anglesDeg, int size,
        boolean overwrite) implements Serializable {

    private static final long serialVersionUID = 2L;

    /** The operations a job can run, named as the CLI subcommands. */
    public enum Operation {
        DENOISE, DECONVOLVE, RECONSTRUCT;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Operation parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown operation '" + s + "': use denoise, deconvolve or reconstruct");
            }
        }
    }

    public JobSpec {
        Objects.requireNonNull(operation, "operation");
        if (operation == Operation.DECONVOLVE || (operation == Operation.RECONSTRUCT && method != null)) {
            Objects.requireNonNull(method, "method");
            settings(); // validates
        }
        if (!(noiseSigma >= 0)) {
            throw new IllegalArgumentException("noise sigma must be 0 or positive, got " + noiseSigma);
        }
        if (operation == Operation.DECONVOLVE && (psf == null || psfDims == null || boundary == null)) {
            throw new IllegalArgumentException("deconvolution needs a PSF and a boundary");
        }
        if (operation == Operation.RECONSTRUCT && (anglesDeg == null || anglesDeg.length == 0)) {
            throw new IllegalArgumentException("CT reconstruction needs the projection angles");
        }
    }

    /** {@code lpnp denoise}: one certified denoising pass. */
    public static JobSpec denoise(double noiseSigma) {
        return new JobSpec(Operation.DENOISE, noiseSigma, null, 1, 0, 0.01, 1, null, null, null, null, 0, false);
    }

    /** {@code lpnp deconvolve}: deconvolution with a PSF of the images' number of dimensions. */
    public static JobSpec deconvolve(RandomAccessibleInterval<FloatType> psf, Boundary boundary,
            Reconstruction.Settings s) {
        return new JobSpec(Operation.DECONVOLVE, 0, s.method(), s.iterations(), s.tolerance(), s.lambda(), s.penalty(),
                FloatImages.copyData(psf), Intervals.dimensionsAsLongArray(psf), boundary, null, 0, false);
    }

    /**
     * {@code lpnp reconstruct}: parallel-beam CT of each sinogram (detectors x angles); settings
     * null means FBP (Ram-Lak), as {@code --method fbp}.
     */
    public static JobSpec reconstruct(double[] anglesDeg, int size, Reconstruction.Settings s) {
        if (s == null) {
            return new JobSpec(Operation.RECONSTRUCT, 0, null, 1, 0, 0.01, 1, null, null, null, anglesDeg.clone(), size,
                    false);
        }
        return new JobSpec(Operation.RECONSTRUCT, 0, s.method(), s.iterations(), s.tolerance(), s.lambda(), s.penalty(), null,
                null, null, anglesDeg.clone(), size, false);
    }

    /** The same job with the CT penalty chosen by the model on the executors ({@link #settings(double)}). */
    public JobSpec withPenaltyByModel() {
        return new JobSpec(operation, noiseSigma, method, iterations, tolerance, lambda, Double.NaN, psf, psfDims,
                boundary, anglesDeg, size, overwrite);
    }

    public JobSpec withOverwrite(boolean replace) {
        return new JobSpec(operation, noiseSigma, method, iterations, tolerance, lambda, penalty, psf, psfDims, boundary,
                anglesDeg, size, replace);
    }

    /** Whether the job needs the network (denoising and the PnP methods). */
    public boolean needsModel() {
        return operation == Operation.DENOISE || (method != null && method.needsDenoiser());
    }

    /** The solver settings; a penalty "by model" (NaN) resolved as for a gauss5 denoiser. */
    public Reconstruction.Settings settings() {
        return settings(5.0 / 255);
    }

    /** The solver settings for a denoiser trained for {@code trainedSigma} (resolves a penalty "by model"). */
    public Reconstruction.Settings settings(double trainedSigma) {
        double p = Double.isNaN(penalty) ? Reconstruction.Settings.ctPenalty(trainedSigma) : penalty;
        return method == null ? null : new Reconstruction.Settings(method, iterations, tolerance, lambda, p);
    }

    /**
     * Runs the operation on one image, exactly as the local pipeline does.
     *
     * @param denoiser     the network (null when {@link #needsModel()} is false)
     * @param trainedSigma the network's training noise level (denoise with {@code noiseSigma > 0})
     * @param reference    clean image for the solver's PSNR history, or null
     */
    public Reconstruction.Outcome run(RandomAccessibleInterval<FloatType> image, Denoiser denoiser,
            double trainedSigma, RandomAccessibleInterval<FloatType> reference) {
        switch (operation) {
            case DENOISE:
                return Reconstruction.denoise(image, denoiser, noiseSigma, trainedSigma);
            case DECONVOLVE:
                return Reconstruction.deconvolve(image, FloatImages.wrap(psf.clone(), psfDims), boundary, settings(),
                        denoiser, null, reference);
            case RECONSTRUCT:
                return Reconstruction.reconstructCt(image, anglesDeg, size, settings(trainedSigma), denoiser, null,
                        reference);
            default:
                throw new IllegalStateException(operation.toString());
        }
    }

    /** One line for logs and JSON. */
    public String describe() {
        return operation == Operation.DENOISE ? "denoise" + (noiseSigma > 0 ? " (sigma " + noiseSigma + ")" : "")
                : method == null ? operation.key() + " with FBP"
                : operation.key() + " with " + method.displayName() + ", " + iterations + " iterations";
    }
}
