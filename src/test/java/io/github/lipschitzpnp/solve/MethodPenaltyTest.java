package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.baseline.MedianFilter;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class MethodPenaltyTest {

    @Test
    void theSplittingMethodsTakeTheirPenaltyAndTheOthersHaveNone() {
        Denoiser d = new MedianFilter(1);
        EnumSet<Method> withPenalty = EnumSet.noneOf(Method.class);
        for (Method m : Method.values()) {
            if (m.hasPenalty()) {
                withPenalty.add(m);
                String given = m.solver(d, null, 0.01, 0.25).describe();
                String standard = m.solver(d, null, 0.01).describe();
                assertTrue(given.matches(".*(rho|mu)=0\\.25.*"), given);
                assertTrue(standard.contains("=||A||^2"), standard);
            }
        }
        assertEquals(EnumSet.of(Method.PNP_ADMM, Method.PNP_DRS, Method.PNP_HQS), withPenalty);
        assertFalse(Method.PNP_PGD.solver(d, null, 0.01, 0.25).describe().contains("0.25"));
    }
}
