package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A linear (affine) map {@code y = A x + c} with {@code A = V / max(1, ||V||)}, so
 * {@code ||A||_2 <= 1}: dense ({@code (B, in) -> (B, out)}) or a zero-padded 'same' convolution
 * with kernel {@code k} (2D or 3D). In training {@code ||V||} is the power-iteration estimate;
 * frozen, it is a rigorous upper bound, so the frozen map is certified {@code ||A|| <= 1}. Used
 * to lift 1 -> C channels, project C -> 1 and change channel counts. The unconstrained variant
 * uses {@code A = V}.
 */
public final class NormConstrainedLinear extends SpectralLayer {

    private static final byte VERSION = 1;

    private final Parameter bias;
    private final boolean unconstrained;
    private double frozenScale = Double.NaN;

    /**
     * @param kind               dense or convolution
     * @param in                 input channels
     * @param out                output channels
     * @param kernelSize         odd kernel size (ignored for dense)
     * @param unconstrained      use {@code A = V} (no guarantee)
     * @param powerIterationSize image side of the power-iteration vectors (convolutions)
     */
    public NormConstrainedLinear(LayerKind kind, int in, int out, int kernelSize, boolean unconstrained,
            int powerIterationSize) {
        super(VERSION, kind, out, in, kernelSize, powerIterationSize,
                defaultStd(kind, out, in, kind == LayerKind.DENSE ? 1 : kernelSize));
        this.unconstrained = unconstrained;
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).build());
    }

    /** A constrained map with power-iteration images of side 16. */
    public NormConstrainedLinear(LayerKind kind, int in, int out, int kernelSize) {
        this(kind, in, out, kernelSize, false, 16);
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels. */
    public int outChannels() {
        return outChannels;
    }

    @Override
    public void freeze(int gridSize) {
        sigmaUpper = weightNormUpperBound(gridSize);
        sigmaPowerIteration = powerIterationEstimate();
        frozenScale = unconstrained ? 1.0 : 1.0 / Math.max(1.0, sigmaUpper);
        frozen = true;
    }

    @Override
    public LipschitzCertificate.LayerBound layerBound() {
        if (!frozen) {
            throw new IllegalStateException("freeze the layer before certifying it");
        }
        return new LipschitzCertificate.LayerBound("NormConstrainedLinear(" + kind + ", " + inChannels + "->"
                + outChannels + ")", sigmaPowerIteration * frozenScale, sigmaUpper * frozenScale, Double.NaN,
                sigmaUpper * frozenScale);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDManager local = x.getManager();
        NDArray v = ps.getValue(weight, x.getDevice(), training);
        NDArray c = ps.getValue(bias, x.getDevice(), training);
        NDArray a;
        if (frozen) {
            a = LayerKind.own(v.mul(LayerKind.constant(frozenScale, v, local)), local);
        } else if (unconstrained) {
            a = v;
        } else {
            NDArray sigma = sigma(v, training, local);
            a = LayerKind.own(v.div(sigma.maximum(LayerKind.constant(1.0, sigma, local))), local);
        }
        return new NDList(kind.apply(x, a, c, local));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long[] dims = s.getShape().clone();
        dims[1] = outChannels;
        return new Shape[] {new Shape(dims)};
    }

    @Override
    protected void saveFrozenState(DataOutputStream os) throws IOException {
        os.writeDouble(frozenScale);
    }

    @Override
    protected void loadFrozenState(DataInputStream is) throws IOException {
        frozenScale = is.readDouble();
    }
}
