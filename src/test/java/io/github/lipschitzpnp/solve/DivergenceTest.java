package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.Tiling;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

/** Divergent runs are detected and stopped with a message, keeping the best iterate; tiling stops within one tile. */
class DivergenceTest {

    /** x -> 1.5 x: expansive, so PnP with it is not guaranteed to converge. */
    static final Denoiser TIMES_1_5 = new Denoiser() {
        @Override
        public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
            Img<FloatType> out = FloatImages.copy(x);
            float[] d = FloatImages.data(out);
            for (int i = 0; i < d.length; i++) {
                d[i] *= 1.5f;
            }
            return out;
        }

        @Override
        public double lipschitzBound() {
            return 1.5;
        }

        @Override
        public String describe() {
            return "x -> 1.5x";
        }
    };

    static void assertStoppedWithBestIterate(SolverResult r) {
        assertEquals(StopReason.DIVERGED, r.stopReason(), r.message());
        assertTrue(r.message().startsWith("diverged"), r.message());
        assertTrue(r.iterations() < 200, "stopped after " + r.iterations());
        float[] img = FloatImages.data(r.image());
        assertTrue(Vec.isFinite(img));
        assertArrayEquals(FloatImages.data(r.bestImage()), img, "the best iterate is returned");
    }

    @Test
    void anExpansiveDenoiserIsStoppedWithAMessageKeepingTheBestIterate() {
        Problem p = TestOperators.deblurProblem(32, 0.01);
        SolverResult r = new PnpPgd(TIMES_1_5).relaxation(1).maxIterations(5000).solve(p);
        assertStoppedWithBestIterate(r);
    }

    @Test
    void aStepSizeFarTooLargeIsRefusedBeforeTheFirstIteration() {
        Problem p = TestOperators.deblurProblem(32, 0.01);
        // gamma ||A||^2 = 50: the gradient step alone is expansive, whatever the denoiser.
        Denoiser identity = new Denoiser() {
            @Override
            public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
                return FloatImages.copy(x);
            }

            @Override
            public double lipschitzBound() {
                return 1;
            }

            @Override
            public String describe() {
                return "identity";
            }
        };
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PnpPgd(identity).stepSize(50).relaxation(1).maxIterations(5000).solve(p));
        assertTrue(e.getMessage().contains("would be expansive"), e.getMessage());
    }

    @Test
    void tilingStopsWithinOneTileOfTheCancel() {
        Img<FloatType> img = FloatImages.copy(TestOperators.deblurProblem(64, 0).data());
        Tiling t = Tiling.of(16, 4);
        int total = t.tileCount(img);
        AtomicInteger calls = new AtomicInteger();
        CancellationException e = org.junit.jupiter.api.Assertions.assertThrows(CancellationException.class,
                () -> t.apply(img, tile -> {
                    calls.incrementAndGet();
                    return FloatImages.copy(tile);
                }, null, () -> calls.get() >= 3));
        assertTrue(total > 10, "tiles: " + total);
        assertEquals(3, calls.get(), "no tile after the cancel");
        assertTrue(e.getMessage().contains("after 3 of " + total + " tiles"), e.getMessage());
    }
}
