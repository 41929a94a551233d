package io.github.lipschitzpnp.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/** Small helpers for the DJL tests. */
final class DjlTestSupport {

    private DjlTestSupport() {
    }

    static NDArray gaussian(NDManager m, Shape s, DataType t, long seed) {
        Random rnd = new Random(seed);
        double[] d = new double[(int) s.size()];
        for (int j = 0; j < d.length; j++) {
            d[j] = rnd.nextGaussian();
        }
        return m.create(d, s).toType(t, false);
    }

    static double dot(NDArray a, NDArray b) {
        return a.toType(DataType.FLOAT64, false).mul(b.toType(DataType.FLOAT64, false)).sum().getDouble();
    }
}
