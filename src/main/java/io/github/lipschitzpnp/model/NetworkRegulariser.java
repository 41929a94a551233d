package io.github.lipschitzpnp.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.lipschitzpnp.image.NDArrays;
import io.github.lipschitzpnp.solve.Regulariser;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import java.util.Locale;

/**
 * A certified scalar network as a {@link Regulariser}, on the whole image at once (the network is
 * convolutional up to its pixel-sum pooling, so any image size works).
 *
 * <p>Normalisation. The network {@code N} pools by {@code sum over pixels / sqrt(P)} (so that
 * {@code N} is 1-Lipschitz on images of every size P). The regulariser used in the objective is the
 * pixel sum {@code R(x) = sqrt(P) N(x)}: like the data term {@code 1/2 ||A x - y||^2}, it adds up
 * over pixels, so one lambda means the same on a 48 x 48 patch and a 512 x 512 image. Its gradient
 * satisfies {@code ||grad R(x)|| <= sqrt(P) Lip(N)}: the root-mean-square of the per-pixel gradient
 * is at most the certified bound ({@link #lipschitzBound()}).
 *
 * <p>The gradient comes from DJL's autograd through the frozen network (inference mode); only one
 * gradient collector can be open per JVM, so calls are serialised. Each call frees its native
 * memory before returning.
 */
public final class NetworkRegulariser implements Regulariser {

    private final RegulariserModel model;

    public NetworkRegulariser(RegulariserModel model) {
        this.model = model;
    }

    public RegulariserModel model() {
        return model;
    }

    @Override
    public synchronized double value(RandomAccessibleInterval<FloatType> x) {
        check(x);
        try (NDManager sub = model.manager().newSubManager()) {
            NDArray in = NDArrays.toNDArray(x, sub);
            NDArray out = model.network().forward(new ParameterStore(sub, false), new NDList(in), false).head();
            return out.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble() * scale(in);
        }
    }

    @Override
    public synchronized Evaluation evaluate(RandomAccessibleInterval<FloatType> x) {
        check(x);
        try (NDManager sub = model.manager().newSubManager()) {
            NDArray in = NDArrays.toNDArray(x, sub);
            double scale = scale(in);
            double value;
            Img<FloatType> grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                in.setRequiresGradient(true);
                NDArray r = model.network().forward(new ParameterStore(sub, false), new NDList(in), false).head().sum();
                value = r.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble() * scale;
                gc.backward(r);
                NDArray g = in.getGradient();
                g.attach(sub);
                grad = NDArrays.toImg(g);
            }
            float s = (float) scale;
            for (FloatType t : grad) {
                t.mul(s);
            }
            return new Evaluation(value, grad);
        }
    }

    private static double scale(NDArray in) {
        long pixels = in.getShape().size() / (in.getShape().get(0) * in.getShape().get(1));
        return Math.sqrt((double) pixels);
    }

    private void check(RandomAccessibleInterval<FloatType> x) {
        int dims = model.spec().architecture().spatialDims();
        if (x.numDimensions() != dims) {
            throw new IllegalArgumentException("regulariser '" + model.spec().name() + "' is for " + dims
                    + "D images, this image is " + x.numDimensions() + "D");
        }
    }

    /** The certified Lipschitz bound of the normalised network N (R = sqrt(P) N). */
    @Override
    public double lipschitzBound() {
        return model.certificate().certifiedBound();
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "learned 1-Lipschitz regulariser '%s' for %s (certified %.4f)",
                model.spec().name(), model.task(), lipschitzBound());
    }
}
