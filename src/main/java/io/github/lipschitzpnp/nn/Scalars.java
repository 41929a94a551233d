package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants as tensors that own their memory, for arithmetic inside differentiable code.
 *
 * <p>Why: in DJL 0.36's PyTorch engine, {@code array.mul(2.0)} (any {@code op(Number)}) wraps the
 * number in a tensor made by {@code from_blob} over a direct ByteBuffer and closes it right after
 * the call. When autograd saved that operand for the backward pass (mul, div, pow, maximum do),
 * the backward later reads memory that the buffer's cleaner may already have freed: gradients
 * become garbage or NaN at random steps, more often the longer the JVM runs between garbage
 * collections. A constant made here is allocated by libtorch ({@code torch::full}) and stays
 * attached to {@code manager} until that manager closes, after the backward pass.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-dimensional tensor holding {@code value}, of {@code like}'s type, attached to {@code manager}. */
    public static NDArray of(double value, NDArray like, NDManager manager) {
        NDManager m = manager != null ? manager : like.getManager();
        NDArray s;
        if (like.getDataType() == DataType.FLOAT64) {
            // Full double precision: a from_blob tensor cloned into libtorch-owned memory.
            NDArray blob = m.create(value);
            s = blob.duplicate();
            blob.close();
        } else {
            s = m.full(new Shape(), (float) value, like.getDataType());
        }
        return s.getDevice().equals(like.getDevice()) ? s : s.toDevice(like.getDevice(), false);
    }
}
