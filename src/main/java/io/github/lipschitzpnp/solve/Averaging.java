package io.github.lipschitzpnp.solve;

/** Whether DRS/ADMM replace the denoiser D by a firmly non-expansive prior step. */
public enum Averaging {
    /** Use D~ = (I + D)/2 when D is certified non-expansive (the guarantee then holds), D itself otherwise. */
    AUTO,
    /**
     * As AUTO, but with the strongest step D's certificate allows: I + (D - I) / (2 alpha), alpha
     * its certified {@link Denoiser#averagedness()} (the same as (I + D)/2 when alpha = 1; for a
     * bundled network, (I + N)/2 with N the network without its identity mix). Equally firmly
     * non-expansive, so the same guarantee; a stronger prior for the same penalty, which usually
     * wants about half of AUTO's penalty rho.
     */
    CERTIFIED,
    /** Always use D~. */
    ALWAYS,
    /** Always use D (no guarantee even for a certified D). */
    NEVER
}
