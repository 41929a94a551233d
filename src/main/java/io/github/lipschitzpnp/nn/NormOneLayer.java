package io.github.lipschitzpnp.nn;

import ai.djl.nn.AbstractBlock;

/**
 * A layer without parameters whose map has norm exactly 1 (a rearrangement or a fixed unit-norm
 * projection): nothing to freeze, and a certified bound of 1 by construction.
 */
abstract class NormOneLayer extends AbstractBlock implements LipschitzLayer {

    NormOneLayer(byte version) {
        super(version);
    }

    /** The name in certificate tables. */
    abstract String layerName();

    @Override
    public void freeze(int gridSize) {
        // nothing learned
    }

    @Override
    public void unfreeze() {
        // nothing learned
    }

    @Override
    public boolean isFrozen() {
        return true;
    }

    @Override
    public LipschitzCertificate.LayerBound layerBound() {
        return new LipschitzCertificate.LayerBound(layerName(), 1.0, 1.0, Double.NaN, 1.0);
    }
}
