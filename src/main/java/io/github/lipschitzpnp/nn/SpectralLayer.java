package io.github.lipschitzpnp.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Common part of the layers whose weight {@code W} is controlled through its spectral norm:
 * the weight parameter, the persistent power-iteration vectors (not parameters, never
 * differentiated; one step per training forward, Miyato et al. 2018:
 * {@code v <- W^T u / ||.||, u <- W v / ||.||, sigma = u^T W v} with the gradient flowing through
 * {@code W} only), the frozen state and its rigorous upper bound.
 *
 * <p>For convolutions the power-iteration vectors are images of side {@code powerIterationSize};
 * the estimate is then the norm for that image size, which the frozen certificate replaces by a
 * bound valid for every size.
 */
public abstract class SpectralLayer extends AbstractBlock implements LipschitzLayer {

    /** Warm-up power iterations when the vectors are first made. */
    public static final int WARMUP_ITERATIONS = 30;

    protected final LayerKind kind;
    protected final int outChannels;
    protected final int inChannels;
    protected final int kernelSize;
    protected final int powerIterationSize;
    protected final Parameter weight;

    private NDManager stateManager;
    private NDArray u;
    private NDArray v;
    private double[] pendingU;
    private double[] pendingV;
    private DataType pendingType;

    protected boolean frozen;
    protected double sigmaPowerIteration = Double.NaN;
    protected double sigmaUpper = Double.NaN;

    /**
     * @param version            block version byte
     * @param kind               dense or convolution
     * @param out                output channels (rows of W)
     * @param in                 input channels (columns of W)
     * @param kernelSize         kernel size (ignored, 1, for dense)
     * @param powerIterationSize image side of the power-iteration vectors (convolutions)
     * @param weightStd          standard deviation of the Gaussian initial weights
     */
    protected SpectralLayer(byte version, LayerKind kind, int out, int in, int kernelSize,
            int powerIterationSize, double weightStd) {
        super(version);
        if (out < 1 || in < 1) {
            throw new IllegalArgumentException("widths must be positive");
        }
        if (kind != LayerKind.DENSE && (kernelSize < 1 || kernelSize % 2 == 0)) {
            throw new IllegalArgumentException("kernel size must be odd (zero 'same' padding), got " + kernelSize);
        }
        this.kind = kind;
        this.outChannels = out;
        this.inChannels = in;
        this.kernelSize = kind == LayerKind.DENSE ? 1 : kernelSize;
        this.powerIterationSize = powerIterationSize;
        float std = (float) weightStd;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(kind.weightShape(out, in, this.kernelSize))
                .optInitializer((m, s, t) -> m.randomNormal(0f, std, s, t))
                .build());
    }

    /** Gaussian std that makes {@code ||W||} about 1 at initialisation. */
    protected static double defaultStd(LayerKind kind, int out, int in, int k) {
        double taps = Math.pow(k, kind.spatialDims());
        return 1.0 / (Math.sqrt(taps) * (Math.sqrt(out) + Math.sqrt(in)));
    }

    /** The layer's kind. */
    public LayerKind kind() {
        return kind;
    }

    /** The weight parameter {@code W}. */
    public Parameter weightParameter() {
        return weight;
    }

    @Override
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Estimate {@code sigma = u^T W v} (differentiable in {@code W}); in training the vectors first
     * take one power-iteration step. Temporaries live in {@code local}.
     */
    protected NDArray sigma(NDArray w, boolean training, NDManager local) {
        ensureVectors(w);
        NDArray wd = LayerKind.own(w.stopGradient(), local);
        NDArray uu = LayerKind.own(u.duplicate(), local);
        NDArray vv = LayerKind.own(v.duplicate(), local);
        if (training) {
            NDArray[] next = step(wd, uu, local);
            uu = next[0];
            vv = next[1];
            replaceVectors(uu, vv);
        }
        return uu.mul(kind.apply(vv, w, null, local)).sum();
    }

    /** One power step from {@code u}: returns {new u, new v}. */
    private NDArray[] step(NDArray wd, NDArray uu, NDManager local) {
        NDArray vt = kind.adjoint(uu, wd, local);
        NDArray tiny = LayerKind.constant(1e-30, vt, local);
        NDArray vv = vt.div(vt.norm().add(tiny));
        NDArray ut = kind.apply(vv, wd, null, local);
        NDArray un = ut.div(ut.norm().add(tiny));
        return new NDArray[] {un, vv};
    }

    private void replaceVectors(NDArray uu, NDArray vv) {
        NDArray nu = uu.duplicate();
        NDArray nv = vv.duplicate();
        nu.attach(stateManager);
        nv.attach(stateManager);
        u.close();
        v.close();
        u = nu;
        v = nv;
    }

    private void ensureVectors(NDArray w) {
        if (stateManager != null && !stateManager.getDevice().equals(w.getDevice())) {
            stateManager.close();
            stateManager = null;
            u = null;
            v = null;
        }
        if (stateManager == null) {
            stateManager = NDManager.newBaseManager(w.getDevice());
        }
        if (u != null) {
            return;
        }
        Shape us = kind.vectorShape(outChannels, powerIterationSize);
        Shape vs = kind.vectorShape(inChannels, powerIterationSize);
        if (pendingU != null) {
            u = stateManager.create(pendingU, us).toType(pendingType, false);
            v = stateManager.create(pendingV, vs).toType(pendingType, false);
            pendingU = null;
            pendingV = null;
            return;
        }
        try (NDManager tmp = stateManager.newSubManager()) {
            NDArray wd = LayerKind.own(w.stopGradient(), tmp);
            NDArray uu = tmp.randomNormal(0f, 1f, us, w.getDataType());
            uu = uu.div(uu.norm());
            NDArray vv = null;
            for (int it = 0; it < WARMUP_ITERATIONS; it++) {
                NDArray[] next = step(wd, uu, tmp);
                uu = next[0];
                vv = next[1];
            }
            u = uu.duplicate();
            v = vv.duplicate();
            u.attach(stateManager);
            v.attach(stateManager);
        }
    }

    /** The weight as doubles, row-major in PyTorch's layout. */
    protected double[] weightValues() {
        NDArray w = weight.getArray();
        try (NDManager tmp = NDManager.newBaseManager(w.getDevice())) {
            NDArray d = LayerKind.own(w.toType(DataType.FLOAT64, true), tmp);
            return d.toDoubleArray();
        }
    }

    /** The current power-iteration estimate {@code u^T W v} of {@code ||W||} (no update). */
    public double powerIterationEstimate() {
        NDArray w = weight.getArray();
        try (NDManager tmp = NDManager.newBaseManager(w.getDevice())) {
            NDArray s = sigma(w, false, tmp);
            return LayerKind.own(s.toType(DataType.FLOAT64, false), tmp).getDouble();
        }
    }

    /**
     * Rigorous upper bound on {@code ||W||}: the Gram iteration for dense weights, the frequency
     * grid of side {@code gridSize} plus its correction for convolutions (every image size).
     */
    public double weightNormUpperBound(int gridSize) {
        double[] w = weightValues();
        if (kind == LayerKind.DENSE) {
            double[][] m = new double[outChannels][inChannels];
            for (int o = 0; o < outChannels; o++) {
                System.arraycopy(w, o * inChannels, m[o], 0, inChannels);
            }
            return SpectralBounds.gramUpperBound(m);
        }
        return SpectralBounds.convUpperBound(kernel(w), gridSize).upper();
    }

    /** The weight as a {@link ConvKernel} (convolutions only). */
    public ConvKernel kernel() {
        return kernel(weightValues());
    }

    private ConvKernel kernel(double[] w) {
        if (kind == LayerKind.DENSE) {
            throw new IllegalStateException("dense layer has no convolution kernel");
        }
        return new ConvKernel(w, outChannels, inChannels, kernelSize, kind.spatialDims());
    }

    @Override
    public void unfreeze() {
        frozen = false;
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        super.saveMetadata(os);
        os.writeBoolean(frozen);
        os.writeDouble(sigmaPowerIteration);
        os.writeDouble(sigmaUpper);
        saveFrozenState(os);
        boolean has = u != null || pendingU != null;
        os.writeBoolean(has);
        if (has) {
            double[] du;
            double[] dv;
            String type;
            if (u != null) {
                try (NDManager tmp = NDManager.newBaseManager(u.getDevice())) {
                    du = LayerKind.own(u.toType(DataType.FLOAT64, true), tmp).toDoubleArray();
                    dv = LayerKind.own(v.toType(DataType.FLOAT64, true), tmp).toDoubleArray();
                }
                type = u.getDataType().name();
            } else {
                du = pendingU;
                dv = pendingV;
                type = pendingType.name();
            }
            os.writeUTF(type);
            writeArray(os, du);
            writeArray(os, dv);
        }
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        super.loadMetadata(loadVersion, is);
        frozen = is.readBoolean();
        sigmaPowerIteration = is.readDouble();
        sigmaUpper = is.readDouble();
        loadFrozenState(is);
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
        }
        u = null;
        v = null;
        if (is.readBoolean()) {
            pendingType = DataType.valueOf(is.readUTF());
            pendingU = readArray(is);
            pendingV = readArray(is);
        }
    }

    /** Writes the subclass's frozen quantities. */
    protected abstract void saveFrozenState(DataOutputStream os) throws IOException;

    /** Reads what {@link #saveFrozenState} wrote. */
    protected abstract void loadFrozenState(DataInputStream is) throws IOException;

    private static void writeArray(DataOutputStream os, double[] a) throws IOException {
        os.writeInt(a.length);
        for (double x : a) {
            os.writeDouble(x);
        }
    }

    private static double[] readArray(DataInputStream is) throws IOException {
        int n = is.readInt();
        double[] a = new double[n];
        for (int j = 0; j < n; j++) {
            a[j] = is.readDouble();
        }
        return a;
    }
}
