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
    void saturatingOnesClipOrBendAndRoundTrip() {
        assertEquals(Activation.HARDTANH, Activation.parse("clip"));
        for (Activation a : new Activation[] {Activation.HARDTANH, Activation.TANH}) {
            assertEquals(a, Activation.parse(a.toString()));
        }
        double[] x = {-3, -1, -0.25, 0, 0.5, 1, 4};
        try (NDManager m = NDManager.newBaseManager()) {
            double[] clip = Activation.HARDTANH.apply(m.create(x)).toDoubleArray();
            double[] tanh = Activation.TANH.apply(m.create(x)).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Math.max(-1, Math.min(1, x[i])), clip[i], 1e-7);
                assertEquals(Math.tanh(x[i]), tanh[i], 1e-6);
                assertEquals(clip[i], Activation.HARDTANH.apply(x[i]), 1e-7);
                assertEquals(tanh[i], Activation.TANH.apply(x[i]), 1e-6);
            }
        }
        // monotone with slopes in [0, 1]: difference quotients on a fine grid
        for (Activation a : new Activation[] {Activation.HARDTANH, Activation.TANH}) {
            for (double t = -4; t < 4; t += 0.01) {
                double q = (a.apply(t + 0.01) - a.apply(t)) / 0.01;
                assertTrue(q >= 0 && q <= 1 + 1e-12, a + " slope " + q + " at " + t);
            }
        }
    }

    @Test
    void shrinkClipsToPerChannelThresholdsAndRoundTrips() {
        Activation s = Activation.parse("shrink");
        assertEquals(Activation.Kind.SHRINK, s.kind());
        assertTrue(s.learnsThreshold());
        assertEquals(Activation.DEFAULT_SHRINK_THRESHOLD, s.initialThreshold());
        assertEquals(s, Activation.parse(s.toString()));
        Activation s2 = Activation.parse("shrink:0.02");
        assertEquals(0.02, s2.initialThreshold());
        assertEquals(s2, Activation.parse(s2.toString()));
        for (String bad : new String[] {"shrink:0", "shrink:-0.1", "shrink:x", "shrink:NaN"}) {
            assertThrows(IllegalArgumentException.class, () -> Activation.parse(bad), bad);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            // two channels with thresholds 0.5 and 2: clip each to its own [-t, t]
            double[] x = {-3, -1, 0.25, 3, -3, -1, 0.25, 3};
            double[] y = Activation.clip(m.create(x, new ai.djl.ndarray.types.Shape(2, 4)),
                    m.create(new double[] {0.5, 2}, new ai.djl.ndarray.types.Shape(2, 1))).toDoubleArray();
            assertArrayEquals(new double[] {-0.5, -0.5, 0.25, 0.5, -2, -1, 0.25, 2}, y, 1e-12);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.apply(m.create(x)));
            assertTrue(e.getMessage().contains("threshold"), e.getMessage());
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
