package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What a solver returns: the images, the convergence history and why it stopped. History arrays
 * have one entry per iteration performed (index k = iteration k + 1); entries that are not
 * defined (objective of a PnP scheme, metrics without a reference) are NaN.
 */
public final class SolverResult {

    private final String algorithm;
    private final float[] image;
    private final float[] last;
    private final float[] best;
    private final int bestIteration;
    private final long[] dims;
    private final int iterations;
    private final double[] residuals;
    private final double[] objectives;
    private final double[] psnr;
    private final double[] ssim;
    private final StopReason stopReason;
    private final String message;
    private final String guarantee;

    SolverResult(String algorithm, float[] image, float[] last, float[] best, int bestIteration, long[] dims,
            int iterations, double[] residuals, double[] objectives, double[] psnr, double[] ssim,
            StopReason stopReason, String message, String guarantee) {
        this.algorithm = algorithm;
        this.image = image;
        this.last = last;
        this.best = best;
        this.bestIteration = bestIteration;
        this.dims = dims.clone();
        this.iterations = iterations;
        this.residuals = residuals;
        this.objectives = objectives;
        this.psnr = psnr;
        this.ssim = ssim;
        this.stopReason = stopReason;
        this.message = message;
        this.guarantee = guarantee;
    }

    /** The algorithm and its parameters, e.g. "PnP-PGD (gamma=1, alpha=0.5) with ...". */
    public String algorithm() {
        return algorithm;
    }

    /**
     * The recommended result: the last iterate, except after {@link StopReason#DIVERGED} where it is
     * the best iterate (smallest residual among the finite ones).
     */
    public Img<FloatType> image() {
        return FloatImages.wrap(image.clone(), dims);
    }

    /** The last finite iterate. */
    public Img<FloatType> lastImage() {
        return FloatImages.wrap(last.clone(), dims);
    }

    /** The finite iterate with the smallest fixed-point residual. */
    public Img<FloatType> bestImage() {
        return FloatImages.wrap(best.clone(), dims);
    }

    /** The 1-based iteration that produced {@link #bestImage()} (0 = the initial guess). */
    public int bestIteration() {
        return bestIteration;
    }

    /** The number of iterations performed. */
    public int iterations() {
        return iterations;
    }

    /** Fixed-point residuals ||s_{k+1} - s_k|| of the sequence the guarantee is about. */
    public double[] residuals() {
        return residuals.clone();
    }

    /** The objective after each iteration, where the algorithm minimises one; else NaN. */
    public double[] objectives() {
        return objectives.clone();
    }

    /** PSNR (dB) against the reference after each iteration; NaN without a reference. */
    public double[] psnr() {
        return psnr.clone();
    }

    /** SSIM against the reference after each iteration; NaN without a reference. */
    public double[] ssim() {
        return ssim.clone();
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** A human-readable sentence on why it stopped. */
    public String message() {
        return message;
    }

    /** The convergence guarantee that applied to this run (or why none did), as text. */
    public String guarantee() {
        return guarantee;
    }

    /** The last residual, NaN if no iteration ran. */
    public double finalResidual() {
        return iterations == 0 ? Double.NaN : residuals[iterations - 1];
    }

    @Override
    public String toString() {
        return algorithm + ": " + stopReason + " after " + iterations + " iterations (" + message + ")";
    }
}
