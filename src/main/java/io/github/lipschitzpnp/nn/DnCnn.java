package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

import java.util.List;

/**
 * An unconstrained DnCNN-style denoiser for comparisons (Zhang et al. 2017, without batch
 * normalisation): {@code layers} 3x3 convolutions with ReLU between them predict the noise, and the
 * output is {@code x - f(x)}; the last convolution starts at zero, so training starts from the
 * identity. Nothing bounds its Lipschitz constant; it is the baseline the
 * certified networks are measured against, never a shipped model.
 */
public final class DnCnn {

    private DnCnn() {
    }

    /** Parameters of a DnCNN with these settings (for matching a certified network's size). */
    public static long parameterCount(int width, int layers, int kernel) {
        long k2 = (long) kernel * kernel;
        return (k2 * width + width) + (layers - 2) * (k2 * width * width + width) + (k2 * width + 1);
    }

    /**
     * @param width feature channels
     * @param layers convolutions in total (at least 2)
     * @param kernel odd kernel size
     */
    public static Block build(int width, int layers, int kernel) {
        if (layers < 2 || width < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("DnCNN needs >= 2 layers, width >= 1 and an odd kernel");
        }
        SequentialBlock residual = new SequentialBlock();
        for (int i = 0; i < layers; i++) {
            boolean last = i == layers - 1;
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(kernel, kernel))
                    .optPadding(new Shape(kernel / 2, kernel / 2)).setFilters(last ? 1 : width).build();
            if (last) {
                // Start as the identity map (zero predicted noise), as the certified networks' mix does.
                conv.setInitializer(new ai.djl.training.initializer.ConstantInitializer(0f),
                        ai.djl.nn.Parameter.Type.WEIGHT);
            }
            residual.add(conv);
            if (!last) {
                residual.add(ai.djl.nn.Activation.reluBlock());
            }
        }
        return new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().sub(list.get(1).singletonOrThrow())),
                List.of(Blocks.identityBlock(), residual));
    }
}
