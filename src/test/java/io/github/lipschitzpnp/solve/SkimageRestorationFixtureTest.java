package io.github.lipschitzpnp.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.IdentityOperator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Richardson-Lucy and TV denoising against scikit-image 0.19.3 (fixtures and the reasoning about
 * boundaries and objectives in scripts/make_restoration_fixtures.py).
 */
class SkimageRestorationFixtureTest {

    private static final String DIR = "/fixtures/skimage_restoration/";

    static float[] load(String name) throws IOException {
        try (InputStream in = SkimageRestorationFixtureTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, "fixture " + name);
            double[] d = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank()).mapToDouble(Double::parseDouble).toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /**
     * scikit-image: zero boundary ('same' convolution), start 0.5, no division by A^T 1; the data is
     * zero in a margin wider than twice the PSF radius, where that division makes no difference, so
     * our RichardsonLucy on a ZERO-boundary convolution started at 0.5 must give the same iterates.
     * Tolerance 1e-5 relative to the maximum: float32 against float64 over 15 multiplicative steps.
     */
    @Test
    void richardsonLucyMatchesSkimage() throws IOException {
        float[] data = load("rl_data.txt");
        float[] psf = load("rl_psf.txt");
        float[] ref = load("rl_result.txt");
        long[] dims = {26, 30};
        ConvolutionOperator a = new ConvolutionOperator(FloatImages.wrap(psf, 5, 5), dims, Boundary.ZERO);
        float[] start = new float[data.length];
        Arrays.fill(start, 0.5f);
        SolverResult r = new RichardsonLucy().maxIterations(15).tolerance(0).divergenceGuard(Integer.MAX_VALUE, 1)
                .solve(Problem.of(a, FloatImages.wrap(data.clone(), dims))
                        .withInitial(FloatImages.wrap(start, dims)));
        assertEquals(15, r.iterations());
        float[] x = FloatImages.data(r.image());
        double diff = maxAbsDiff(x, ref);
        double scale = maxAbs(ref);
        System.out.printf(Locale.ROOT, "Richardson-Lucy (15 it.) vs skimage: max |diff| %.2e (max |ref| %.3f)%n", diff,
                scale);
        assertTrue(scale > 0.5);
        assertTrue(diff <= 1e-5 * scale, "max difference " + diff);
    }

    /**
     * denoise_tv_chambolle(f, weight) converges to argmin 1/2||u - f||^2 + weight TV(u) with the same
     * isotropic, forward-difference, Neumann TV as TvPdhg: TvPdhg with lambda = weight on the identity,
     * run to convergence, must agree. skimage's own change from 20000 to 40000 iterations is 1.1e-7
     * (README.txt) and float32 rounding on data of range about 2 is about 1e-7; measured 1.8e-7 after
     * 9826 PDHG iterations (converged at relative residual 1e-9). The tolerance 1e-5 max abs leaves a
     * margin of 50 for platform differences; the objective must agree to 1e-5 relative.
     */
    @Test
    void tvDenoisingMatchesSkimageChambolle() throws IOException {
        float[] noisy = load("tv_noisy.txt");
        float[] ref = load("tv_result.txt");
        long[] dims = {20, 24};
        SolverResult r = new TvPdhg().regularization(0.1).maxIterations(20000).tolerance(1e-9)
                .solve(Problem.of(new IdentityOperator(dims), FloatImages.wrap(noisy.clone(), dims)));
        float[] x = FloatImages.data(r.image());
        double diff = maxAbsDiff(x, ref);
        int[] axes = TvPdhg.axes(dims);
        double objOurs = objective(x, noisy, dims, axes);
        double objRef = objective(ref, noisy, dims, axes);
        System.out.printf(Locale.ROOT, "TV-PDHG (%d it., %s) vs skimage Chambolle: max |diff| %.2e, objective %.8f vs "
                + "%.8f%n", r.iterations(), r.stopReason(), diff, objOurs, objRef);
        assertTrue(diff <= 1e-5, "max difference " + diff);
        assertEquals(objRef, objOurs, 1e-5 * objRef);
    }

    private static double objective(float[] u, float[] f, long[] dims, int[] axes) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += 0.5 * ((double) u[i] - f[i]) * ((double) u[i] - f[i]);
        }
        return s + 0.1 * TvPdhg.totalVariation(u, dims, axes);
    }
}
