package io.github.lipschitzpnp.paper;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactRepresentationsTest {

    private static double maxError1d(AnalyticNetwork net, DoubleUnaryOperator target, double lo, double hi) {
        int n = 100_001;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double x = lo + (hi - lo) * i / (n - 1);
            worst = Math.max(worst, Math.abs(net.value(x) - target.applyAsDouble(x)));
        }
        return worst;
    }

    @Test
    void absoluteValueIsOneFold() {
        AnalyticNetwork net = ExactRepresentations.abs();
        assertEquals(1, net.depth());
        assertTrue(maxError1d(net, Math::abs, -3, 3) <= 1e-12);
    }

    @Test
    void hatFunction() {
        assertTrue(maxError1d(ExactRepresentations.hat(), x -> Math.max(0, 1 - Math.abs(x)), -3, 3) <= 1e-12);
    }

    @Test
    void sawtoothMatchesDistanceToOddIntegers() {
        AnalyticNetwork net = ExactRepresentations.sawtooth(3);
        assertEquals(4, net.depth());
        assertTrue(maxError1d(net, ExactRepresentations::sawtoothTarget, -8, 8) <= 1e-12);
        // Outside the interval it was built for, it is no longer the sawtooth.
        assertTrue(Math.abs(net.value(11) - ExactRepresentations.sawtoothTarget(11)) > 0.5);
    }

    @Test
    void maxAndMinOfAffineFunctions() {
        double[] a = {-1, -0.3, 0.2, 0.9, 1, 0.5, 0.0};
        double[] c = {0.5, -0.2, 0.1, -1.0, -2.5, -5, 0.3};
        AnalyticNetwork max = ExactRepresentations.maxAffine(a, c);
        AnalyticNetwork min = ExactRepresentations.minAffine(a, c);
        DoubleUnaryOperator maxTarget = x -> {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < a.length; i++) {
                m = Math.max(m, a[i] * x + c[i]);
            }
            return m;
        };
        DoubleUnaryOperator minTarget = x -> {
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i < a.length; i++) {
                m = Math.min(m, a[i] * x + c[i]);
            }
            return m;
        };
        assertTrue(maxError1d(max, maxTarget, -10, 10) <= 1e-9);
        assertTrue(maxError1d(min, minTarget, -10, 10) <= 1e-9);
        assertTrue(max.depth() < a.length, "redundant lines should not cost blocks");
    }

    @Test
    void pyramidIn2d() {
        AnalyticNetwork net = ExactRepresentations.pyramid2d();
        double worst = 0;
        for (int i = 0; i <= 400; i++) {
            for (int j = 0; j <= 400; j++) {
                double x = -2 + 4.0 * i / 400;
                double y = -2 + 4.0 * j / 400;
                double target = Math.max(0, 1 - Math.max(Math.abs(x), Math.abs(y)));
                worst = Math.max(worst, Math.abs(net.value(x, y) - target));
            }
        }
        assertTrue(worst <= 1e-12, "max error " + worst);
    }

    @Test
    void slopesOutsideUnitIntervalAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ExactRepresentations.maxAffine(new double[] {1.5}, new double[] {0}));
        assertTrue(e.getMessage().contains("not 1-Lipschitz"));
    }
}
