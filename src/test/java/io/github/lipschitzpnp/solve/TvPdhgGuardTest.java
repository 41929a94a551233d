package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import java.nio.file.Path;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

/**
 * PDHG is convergent for every lambda, but its primal steps ||x_{k+1} - x_k|| grow while the dual
 * variable builds up: on sparse-view CT from an FBP start they grew for more than 10 iterations to
 * over twice their size, and the divergence guard stopped TV as "diverged" after 12 iterations,
 * returning a near-FBP image (found in lpnp results reconstruction). TV keeps only the NaN guard.
 */
class TvPdhgGuardTest {

    @Test
    void tvOnSparseViewCtIsNotStoppedAsDiverged() {
        Img<FloatType> truth = HeldOutImages.load(Path.of("sample-images/eval"), List.of("ct_small_mu_256.tif"), 256)
                .get(0).image();
        Problem p = ReconstructionComparison.sparseViewCt(truth, 14);
        for (boolean diagonal : new boolean[] {true, false}) { // the bug was found with the scalar steps
            SolverResult r = new TvPdhg().regularization(16).nonNegative(true).preconditioned(diagonal).maxIterations(40)
                    .tolerance(0).solve(p);
            assertEquals(StopReason.MAX_ITERATIONS, r.stopReason(), r.message());
            assertEquals(40, r.iterations());
            assertTrue(Double.isFinite(r.psnr()[39]));
        }
    }
}
