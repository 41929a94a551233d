package io.github.lipschitzpnp.solve;

import java.util.Arrays;
import java.util.Locale;

/**
 * The reconstruction methods users choose from, by display name (Fiji) or key (CLI). PnP methods
 * need a {@link Denoiser}, {@link #ADVERSARIAL_REG} a {@link Regulariser} (a learned regulariser
 * model); the classical baselines need neither.
 */
public enum Method {
    PNP_PGD("PnP-PGD", "pnp-pgd", true),
    PNP_ADMM("PnP-ADMM", "pnp-admm", true),
    PNP_DRS("PnP-DRS", "pnp-drs", true),
    PNP_HQS("PnP-HQS", "pnp-hqs", true),
    RED("RED", "red", true),
    /** Variational reconstruction with a learned 1-Lipschitz regulariser ({@link LearnedRegularisation}). */
    ADVERSARIAL_REG("Learned regulariser", "adversarial-reg", false),
    TV("TV (PDHG)", "tv", false),
    TIKHONOV("Tikhonov (CG)", "tikhonov", false),
    RICHARDSON_LUCY("Richardson-Lucy", "richardson-lucy", false),
    WIENER("Wiener", "wiener", false),
    SIRT("SIRT", "sirt", false),
    CGLS("CGLS", "cgls", false);

    private final String displayName;
    private final String key;
    private final boolean needsDenoiser;

    Method(String displayName, String key, boolean needsDenoiser) {
        this.displayName = displayName;
        this.key = key;
        this.needsDenoiser = needsDenoiser;
    }

    public String displayName() {
        return displayName;
    }

    public String key() {
        return key;
    }

    public boolean needsDenoiser() {
        return needsDenoiser;
    }

    /** Whether the method has a penalty rho for its data step (PnP-ADMM, PnP-DRS, PnP-HQS). */
    public boolean hasPenalty() {
        return this == PNP_ADMM || this == PNP_DRS || this == PNP_HQS;
    }

    /** Whether the method needs a learned regulariser model instead of a denoiser. */
    public boolean needsRegulariser() {
        return this == ADVERSARIAL_REG;
    }

    /** Parses a key or display name, any case; the error lists the choices. */
    public static Method parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.key.equals(t) || m.displayName.toLowerCase(Locale.ROOT).equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + text + "': choose one of "
                + Arrays.toString(Arrays.stream(values()).map(Method::key).toArray()));
    }

    /**
     * A solver for this method with the defaults that carry the convergence guarantees of
     * docs/theory.md; {@code denoiser} is required for PnP methods and ignored otherwise;
     * {@code lambda} is the regularisation weight of TV, Tikhonov and RED, and Wiener's
     * noise-to-signal ratio.
     */
    public IterativeSolver<?> solver(Denoiser denoiser, double lambda) {
        return solver(denoiser, null, lambda);
    }

    /**
     * As {@link #solver(Denoiser, double)}, with the learned regulariser that
     * {@link #ADVERSARIAL_REG} needs ({@code lambda} is then its weight); each method ignores the
     * prior it does not use.
     */
    public IterativeSolver<?> solver(Denoiser denoiser, Regulariser regulariser, double lambda) {
        return solver(denoiser, regulariser, lambda, Double.NaN);
    }

    /**
     * As {@link #solver(Denoiser, Regulariser, double)}, with the penalty {@code rho} of the methods
     * that have one ({@link #hasPenalty()}; NaN: their default ||A||^2; ignored by the others).
     */
    public IterativeSolver<?> solver(Denoiser denoiser, Regulariser regulariser, double lambda, double rho) {
        if (needsDenoiser && denoiser == null) {
            throw new IllegalArgumentException(displayName + " needs a denoiser (a model)");
        }
        if (needsRegulariser() && regulariser == null) {
            throw new IllegalArgumentException(displayName + " needs a learned regulariser (a model of kind "
                    + "'regularizer', e.g. a bundled one listed by 'lpnp certify --list')");
        }
        switch (this) {
            case ADVERSARIAL_REG:
                return new LearnedRegularisation(regulariser).regularization(lambda);
            case PNP_PGD:
                return new PnpPgd(denoiser);
            case PNP_ADMM:
                return new PnpAdmm(denoiser).penalty(rho);
            case PNP_DRS:
                return new PnpDrs(denoiser).penalty(rho);
            case PNP_HQS:
                return new PnpHqs(denoiser).penalty(rho);
            case RED:
                return new Red(denoiser).regularization(lambda);
            case TV:
                return new TvPdhg().regularization(lambda);
            case TIKHONOV:
                return new Tikhonov().regularization(lambda);
            case RICHARDSON_LUCY:
                return new RichardsonLucy();
            case WIENER:
                return new Wiener().noiseToSignal(lambda);
            case SIRT:
                return new Sirt();
            default:
                return new Cgls();
        }
    }
}
