/**
 * Denoisers the certified networks are compared against, behind the same
 * {@link io.github.lipschitzpnp.solve.Denoiser} interface: a Gaussian filter, a median filter, TV
 * denoising and an unconstrained DnCNN trained the same way as the shipped models.
 */
package io.github.lipschitzpnp.baseline;
