package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Per channel, the sum over all pixels (voxels) divided by {@code sqrt(#pixels)}:
 * {@code (B, C, spatial...) -> (B, C)}. Each channel is the inner product with a unit vector,
 * so the map has norm exactly 1 for every image size.
 */
public final class PixelSumPool extends NormOneLayer {

    private static final byte VERSION = 1;

    /** A pooling stage. */
    public PixelSumPool() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        int[] axes = new int[s.dimension() - 2];
        long pixels = 1;
        for (int j = 0; j < axes.length; j++) {
            axes[j] = j + 2;
            pixels *= s.get(j + 2);
        }
        NDArray sum = x.sum(axes);
        return new NDList(sum.div(LayerKind.constant(Math.sqrt((double) pixels), sum, x.getManager())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
    }

    @Override
    String layerName() {
        return "PixelSumPool";
    }
}
