package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The flipped-kernel convolution is the exact adjoint, and DJL's conv is the operator we bound. */
class ConvAdjointTest {

    private void check(LayerKind kind, Shape xShape, Shape yShape, int k) {
        try (NDManager m = NDManager.newBaseManager()) {
            int out = (int) yShape.get(1);
            int in = (int) xShape.get(1);
            NDArray w = DjlTestSupport.gaussian(m, kind.weightShape(out, in, k), DataType.FLOAT64, 1);
            NDArray x = DjlTestSupport.gaussian(m, xShape, DataType.FLOAT64, 2);
            NDArray y = DjlTestSupport.gaussian(m, yShape, DataType.FLOAT64, 3);
            NDArray wx = kind.apply(x, w, null, m);
            NDArray wty = kind.adjoint(y, w, m);
            assertEquals(yShape, wx.getShape());
            assertEquals(xShape, wty.getShape());
            double lhs = DjlTestSupport.dot(wx, y);
            double rhs = DjlTestSupport.dot(x, wty);
            assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), kind + " inner products");
            if (kind != LayerKind.DENSE) {
                // same operator as the plain-Java convolution the certificate bounds
                ConvKernel ck = new ConvKernel(w.toDoubleArray(), out, in, k, kind.spatialDims());
                long[] dims = xShape.getShape();
                int[] size = new int[dims.length - 2];
                for (int j = 0; j < size.length; j++) {
                    size[j] = (int) dims[j + 2];
                }
                assertArrayEquals(ck.apply(x.get(0).toDoubleArray(), size), wx.get(0).toDoubleArray(), 1e-10);
                assertArrayEquals(ck.adjoint(y.get(0).toDoubleArray(), size), wty.get(0).toDoubleArray(), 1e-10);
            }
        }
    }

    @Test
    void conv2dAdjoint() {
        check(LayerKind.CONV2D, new Shape(2, 3, 9, 7), new Shape(2, 5, 9, 7), 3);
        check(LayerKind.CONV2D, new Shape(1, 2, 8, 8), new Shape(1, 4, 8, 8), 5);
    }

    @Test
    void conv3dAdjoint() {
        check(LayerKind.CONV3D, new Shape(2, 2, 5, 6, 4), new Shape(2, 3, 5, 6, 4), 3);
    }

    @Test
    void denseAdjoint() {
        check(LayerKind.DENSE, new Shape(4, 6), new Shape(4, 9), 1);
    }
}
