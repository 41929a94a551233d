package io.github.lipschitzpnp.solve;

/** Whether DRS/ADMM replace the denoiser D by D~ = (I + D)/2. */
public enum Averaging {
    /** Use D~ when D is certified non-expansive (the guarantee then holds), D itself otherwise. */
    AUTO,
    /** Always use D~. */
    ALWAYS,
    /** Always use D (no guarantee even for a certified D). */
    NEVER
}
