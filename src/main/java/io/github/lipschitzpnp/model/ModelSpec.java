package io.github.lipschitzpnp.model;

import java.util.Map;

/**
 * The {@code model.json} of a {@code .lpnp.zip} model file: what the network is, what it was
 * trained for, and its certificate. Field names are written in snake_case.
 *
 * @param format          always {@link #FORMAT}
 * @param formatVersion   the file-format version; readers refuse newer versions
 * @param name            short model name
 * @param kind            {@value #KIND_DENOISER} (image to image) or {@value #KIND_REGULARIZER} (image to
 *                        number: a learned regulariser; its task is {@code training.task})
 * @param architecture    the network's shape
 * @param noise           the noise the model was trained for
 * @param training        free-form training summary (data, steps, seed, command, CPU time)
 * @param certificate     certified and empirical Lipschitz bounds when saved (recomputed on load)
 * @param validation      validation metrics (e.g. psnr, psnr_noisy)
 * @param parametersSha256 SHA-256 of the parameter entry
 */
public record ModelSpec(
        String format,
        int formatVersion,
        String name,
        String kind,
        Architecture architecture,
        Noise noise,
        Map<String, Object> training,
        Certificate certificate,
        Map<String, Double> validation,
        String parametersSha256) {

    public static final String FORMAT = "lipschitz-pnp-model";
    public static final int FORMAT_VERSION = 1;
    /** Kind of an image-to-image denoiser (every model file before regularisers existed). */
    public static final String KIND_DENOISER = "denoiser";
    /** Kind of a scalar learned regulariser R(x) (adversarial regulariser, docs/regulariser.md). */
    public static final String KIND_REGULARIZER = "regularizer";

    /** Whether this describes a learned regulariser. */
    public boolean isRegularizer() {
        return KIND_REGULARIZER.equals(kind);
    }

    /**
     * What a regulariser was trained for (the {@code task} entry of {@code training}, e.g.
     * "ct" or "deconvolution"); null when absent (denoisers).
     */
    public String task() {
        Object t = training == null ? null : training.get("task");
        return t == null ? null : t.toString();
    }

    /**
     * @param spatialDims 2 or 3
     * @param inChannels  image channels (1: grayscale)
     * @param width       feature channels C
     * @param hidden      channels of W inside each block
     * @param depth       number of gradient-step blocks
     * @param kernel      convolution kernel size (odd)
     * @param activation  "relu", "leaky_relu:alpha", "hardtanh" or "tanh"
     * @param tau         step-size factor in (0, 1]
     * @param identityMix output {@code (1 - a) x + a N(x)} with a learned {@code a} (absent: false)
     * @param coarseBlocks how many of the middle blocks run at half resolution on 2 x 2 pixel cells
     *                    moved into channels (2D denoisers; absent: 0)
     * @param learnTau    every block learns its step factor in (0, tau], starting at tau / 2
     *                    (denoisers; absent: false)
     */
    public record Architecture(int spatialDims, int inChannels, int width, int hidden, int depth, int kernel,
            String activation, double tau, boolean identityMix, int coarseBlocks, boolean learnTau) {

        /** A full-resolution architecture with fixed steps. */
        public Architecture(int spatialDims, int inChannels, int width, int hidden, int depth, int kernel,
                String activation, double tau, boolean identityMix) {
            this(spatialDims, inChannels, width, hidden, depth, kernel, activation, tau, identityMix, 0, false);
        }

        /**
         * The pixel grid the network is shift-equivariant on: 2 with coarse blocks (tiles must
         * start at even pixels), else 1.
         */
        public int cell() {
            return coarseBlocks > 0 ? io.github.lipschitzpnp.nn.LipschitzResNet.COARSE_FACTOR : 1;
        }
    }

    /**
     * @param model    "gaussian" or "poisson-gaussian"
     * @param sigma    Gaussian standard deviation on the [0, 1] intensity scale
     * @param sigmaMin lower end when trained for a range (else equal to sigma)
     * @param sigmaMax upper end when trained for a range (else equal to sigma)
     * @param peak     photon count at intensity 1 for Poisson noise, 0 for none
     */
    public record Noise(String model, double sigma, double sigmaMin, double sigmaMax, double peak) {
    }

    /**
     * @param certifiedBound product of per-layer upper bounds
     * @param empiricalBound largest ratio ||f(x)-f(y)||/||x-y|| found by gradient ascent
     * @param parameters     number of scalar parameters
     */
    public record Certificate(double certifiedBound, double empiricalBound, long parameters) {
    }

    /** This spec with {@code extra} entries added to (or replacing those of) its training section. */
    public ModelSpec withTraining(Map<String, Object> extra) {
        Map<String, Object> t = new java.util.LinkedHashMap<>(training);
        t.putAll(extra);
        return new ModelSpec(format, formatVersion, name, kind, architecture, noise, t, certificate, validation,
                parametersSha256);
    }
}
