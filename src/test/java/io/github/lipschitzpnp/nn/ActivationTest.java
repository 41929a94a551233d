package io.github.lipschitzpnp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ActivationTest {

    @Test
    void parsesTheMonotoneOnes() {
        assertEquals(Activation.RELU, Activation.parse("ReLU"));
        assertEquals(0.01, Activation.parse("leaky_relu").alpha());
        Activation a = Activation.parse("leaky_relu:0.1");
        assertEquals(Activation.Kind.LEAKY_RELU, a.kind());
        assertEquals(a, Activation.parse(a.toString()));
        try (NDManager m = NDManager.newBaseManager()) {
            double[] y = a.apply(m.create(new double[] {-2, 0, 3})).toDoubleArray();
            assertArrayEquals(new double[] {-0.2, 0, 3}, y, 1e-7); // alpha is passed to PyTorch as a float
        }
    }

    @Test
    void refusesNonMonotoneAndUnknown() {
        for (String bad : new String[] {"gelu", "silu", "swish", "mish", "sin", "abs", "tanhshrink", "leaky_relu:1.5",
            "leaky_relu:-0.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse(bad));
            assertTrue(e.getMessage().contains("monotone activation with slopes in [0, 1]"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("gelu"));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("leaky_relu"), e.getMessage());
    }
}
