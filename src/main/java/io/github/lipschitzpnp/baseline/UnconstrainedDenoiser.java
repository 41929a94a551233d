package io.github.lipschitzpnp.baseline;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.lipschitzpnp.image.NDArrays;
import io.github.lipschitzpnp.solve.Denoiser;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A trained network without a Lipschitz guarantee (e.g. {@link io.github.lipschitzpnp.nn.DnCnn})
 * behind the {@link Denoiser} interface, for comparisons: the whole image in one call, no bound
 * claimed. Closing it frees the network.
 */
public final class UnconstrainedDenoiser implements Denoiser, AutoCloseable {

    private final Model model;
    private final Block network;
    private final String name;

    public UnconstrainedDenoiser(Model model, Block network, String name) {
        this.model = model;
        this.network = network;
        this.name = name;
    }

    @Override
    public synchronized Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        if (x.numDimensions() != 2) {
            throw new IllegalArgumentException(name + " denoises 2D images, got " + x.numDimensions() + "D");
        }
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray in = NDArrays.toNDArray(x, sub);
            NDArray out = network.forward(new ParameterStore(sub, false), new NDList(in), false).singletonOrThrow();
            return NDArrays.toImg(out);
        }
    }

    @Override
    public double lipschitzBound() {
        return Double.NaN;
    }

    @Override
    public String describe() {
        return name + " (unconstrained, no Lipschitz bound)";
    }

    @Override
    public void close() {
        model.close();
    }
}
