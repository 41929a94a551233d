package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;

/**
 * The three linear-operator shapes of the network's layers, with the forward map {@code W x + b}
 * and its exact adjoint {@code W^T y}.
 *
 * <ul>
 *   <li>{@link #DENSE}: {@code x} of shape {@code (B, in)}, {@code W} of shape {@code (out, in)}.</li>
 *   <li>{@link #CONV2D}: {@code x} of shape {@code (B, in, H, W)}, kernel {@code (out, in, k, k)}.</li>
 *   <li>{@link #CONV3D}: {@code x} of shape {@code (B, in, D, H, W)}, kernel {@code (out, in, k, k, k)}.</li>
 * </ul>
 * Convolutions use zero 'same' padding, stride 1, odd {@code k}. The adjoint is the convolution
 * with the kernel flipped spatially and its channel axes swapped (the PyTorch engine has no
 * transposed convolution). Every temporary derived from {@code W} is attached to {@code local},
 * the caller's per-iteration manager, so that nothing piles up in the parameters' manager.
 */
public enum LayerKind {
    /** Fully connected. */
    DENSE(0),
    /** 2D convolution. */
    CONV2D(2),
    /** 3D convolution. */
    CONV3D(3);

    private final int spatialDims;

    LayerKind(int spatialDims) {
        this.spatialDims = spatialDims;
    }

    /** Number of spatial dimensions (0 for dense). */
    public int spatialDims() {
        return spatialDims;
    }

    /** The convolution kind for 2 or 3 spatial dimensions. */
    public static LayerKind conv(int dims) {
        if (dims == 2) {
            return CONV2D;
        }
        if (dims == 3) {
            return CONV3D;
        }
        throw new IllegalArgumentException("convolutions are 2D or 3D, got " + dims);
    }

    /** Weight shape for {@code out} outputs, {@code in} inputs and kernel size {@code k}. */
    public Shape weightShape(int out, int in, int k) {
        switch (this) {
            case DENSE:
                return new Shape(out, in);
            case CONV2D:
                return new Shape(out, in, k, k);
            default:
                return new Shape(out, in, k, k, k);
        }
    }

    /** Shape of a single-sample vector in the space with {@code channels} channels (for power iteration). */
    public Shape vectorShape(int channels, int size) {
        switch (this) {
            case DENSE:
                return new Shape(1, channels);
            case CONV2D:
                return new Shape(1, channels, size, size);
            default:
                return new Shape(1, channels, size, size, size);
        }
    }

    /** {@code W x + b}; {@code b} may be null. */
    public NDArray apply(NDArray x, NDArray w, NDArray b, NDManager local) {
        if (this == DENSE) {
            NDArray wt = own(w.transpose(), local);
            NDArray y = x.matMul(wt);
            return b == null ? y : y.add(b);
        }
        return conv(x, w, b, w.getShape().get(2));
    }

    /** {@code W^T y}, the exact adjoint of {@link #apply} without bias. */
    public NDArray adjoint(NDArray y, NDArray w, NDManager local) {
        if (this == DENSE) {
            return y.matMul(w);
        }
        NDArray flipped = this == CONV2D
                ? own(own(w.flip(2, 3), local).transpose(1, 0, 2, 3), local)
                : own(own(w.flip(2, 3, 4), local).transpose(1, 0, 2, 3, 4), local);
        return conv(y, flipped, null, w.getShape().get(2));
    }

    private NDArray conv(NDArray x, NDArray w, NDArray b, long k) {
        long r = (k - 1) / 2;
        if (this == CONV2D) {
            return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(r, r), new Shape(1, 1), 1).head();
        }
        return Conv3d.conv3d(x, w, b, new Shape(1, 1, 1), new Shape(r, r, r), new Shape(1, 1, 1), 1).head();
    }

    /**
     * A 0-dimensional constant with {@code like}'s type and device, owned by {@code local}.
     * Autograd must never see an operation with a plain Number argument ({@code x.mul(2.0)}):
     * DJL makes a temporary scalar tensor over a Java buffer for it and drops it right after the
     * operation, so the backward pass can read freed memory (seen as NaN or zero gradients,
     * depending on garbage-collection timing). Constants made here live as long as
     * {@code local}, that is until after the backward pass.
     */
    static NDArray constant(double value, NDArray like, NDManager local) {
        NDArray c = local.create(value).toType(like.getDataType(), false);
        if (!c.getDevice().equals(like.getDevice())) {
            c = c.toDevice(like.getDevice(), false);
        }
        return own(c, local);
    }

    /** Attaches a freshly made temporary to the local manager and returns it. */
    static NDArray own(NDArray a, NDManager local) {
        if (local != null && a.getManager() != local) {
            a.attach(local);
        }
        return a;
    }
}
