package io.github.lipschitzpnp.results;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.nn.DnCnn;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenoisingComparisonTest {

    @Test
    void aQuickRunGivesEveryRowAndExamplePanels(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        DenoisingComparison.Result r = new DenoisingComparison(DenoisingComparison.Plan.quick(Path.of("sample-images"),
                tmp.resolve("cache")), s -> { }).run();
        DenoisingComparison.Level l = r.levels().get(0);
        for (String m : List.of(DenoisingComparison.NOISY, DenoisingComparison.GAUSSIAN, DenoisingComparison.MEDIAN,
                DenoisingComparison.TV, DenoisingComparison.DNCNN, DenoisingComparison.CERTIFIED)) {
            DenoisingComparison.Row row = l.row(m);
            assertTrue(row != null && Double.isFinite(row.psnr()), m);
            assertEquals(r.imageNames().size(), row.outputs().size(), m);
        }
        // the noisy row's output is the noisy input: its PSNR is the noise level's
        assertTrue(Math.abs(l.row(DenoisingComparison.NOISY).psnr() - 20.2) < 0.5, "" + l.row(DenoisingComparison.NOISY));
        List<String> files = DenoisingComparison.writePanels(r, 1, tmp.resolve("fig"));
        assertEquals(List.of("denoising_sigma25_" + r.imageNames().get(1) + ".png"), files);
        assertTrue(java.nio.file.Files.size(tmp.resolve("fig").resolve(files.get(0))) > 1000);
    }

    @Test
    void theDnCnnBaselineMatchesTheCertifiedModelsSize() {
        // The shipped models: width 16, depth 6, 3x3, 14,226 parameters.
        int layers = DenoisingComparison.matchingLayers(16, 3, 14_226);
        assertEquals(8, layers);
        assertTrue(Math.abs(DnCnn.parameterCount(16, layers, 3) - 14_226) < 100);
    }

    @Test
    void noiseIsSeededAndHasTheRequestedLevel() {
        Img<FloatType> zero = FloatImages.create(200, 200);
        float[] a = FloatImages.data(HeldOutImages.noisy(zero, 0.1, 5));
        float[] b = FloatImages.data(HeldOutImages.noisy(zero, 0.1, 5));
        assertTrue(java.util.Arrays.equals(a, b));
        double ss = 0;
        for (float v : a) {
            ss += v * v;
        }
        assertEquals(0.1, Math.sqrt(ss / a.length), 0.002);
        assertTrue(FloatImages.data(zero)[0] == 0f, "input untouched");
    }

    @Test
    void heldOutImagesAreScaledAndCropped() {
        var imgs = HeldOutImages.load(Path.of("sample-images/eval"), List.of("camera_512.png"), 64);
        float[] v = FloatImages.data(imgs.get(0).image());
        assertEquals(64 * 64, v.length);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertEquals(0, min, 1e-6);
        assertEquals(1, max, 1e-6);
        assertEquals("camera_512", imgs.get(0).name());
    }

    @Test
    void dncnnOnlyForModelsOfThePlan() {
        var plan = DenoisingComparison.Plan.full(Path.of("sample-images"), Path.of("target/cache"));
        assertEquals(List.of("gauss25"), plan.withDnCnnFor(List.of("gauss25")).dncnnFor());
        assertThrows(IllegalArgumentException.class, () -> plan.withDnCnnFor(List.of("gauss7")));
    }

    @Test
    void baselineFiltersWorkAsMethodReferencesFromThisPackage() {
        // A package-private superclass once made MedianFilter::denoise fail at run time here.
        java.util.function.UnaryOperator<Img<FloatType>> median = new io.github.lipschitzpnp.baseline.MedianFilter(1)::denoise;
        java.util.function.UnaryOperator<Img<FloatType>> gauss = new io.github.lipschitzpnp.baseline.GaussianFilter(1)::denoise;
        Img<FloatType> x = FloatImages.create(8, 8);
        assertEquals(64, FloatImages.data(median.apply(x)).length);
        assertEquals(64, FloatImages.data(gauss.apply(x)).length);
    }
}
