package io.github.lipschitzpnp.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lpnp demo --tune-tv}: TV's weight is re-chosen on each task over a grid that contains the
 * fixed weight, so the tuned TV row can only match or beat the fixed one.
 */
class DemoTvTuningTest {

    @Test
    void tunedTvIsAtLeastAsGoodAsTheFixedWeight(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        DemoRunner.Result fixed = new DemoRunner(new DemoRunner.Options(Path.of("sample-images"), dir.resolve("a"), null,
                Device.cpu(), 1, true, s -> { }, null)).run();
        DemoRunner.Result tuned = new DemoRunner(new DemoRunner.Options(Path.of("sample-images"), dir.resolve("b"), null,
                Device.cpu(), 1, true, log::add, null, true)).run();
        Map<String, Double> fixedTv = tv(fixed);
        Map<String, Double> tunedTv = tv(tuned);
        assertEquals(fixedTv.keySet(), tunedTv.keySet());
        for (String task : fixedTv.keySet()) {
            assertTrue(tunedTv.get(task) >= fixedTv.get(task) - 1e-9,
                    task + ": tuned TV " + tunedTv.get(task) + " below the fixed weight's " + fixedTv.get(task));
        }
        long tried = log.stream().filter(l -> l.contains("tuning TV: lambda")).count();
        assertEquals(DemoRunner.TV_GRID_CT.length + DemoRunner.TV_GRID_DECONVOLUTION.length, tried, String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("tuned TV weight")), String.join("\n", log));
    }

    private static Map<String, Double> tv(DemoRunner.Result r) {
        return r.rows().stream().filter(row -> row.method().startsWith("TV"))
                .collect(Collectors.toMap(DemoRunner.Row::task, DemoRunner.Row::psnr));
    }

    @Test
    void theFixedWeightsLieInTheirGrids() {
        Function<double[], List<Double>> list = a -> java.util.Arrays.stream(a).boxed().toList();
        assertTrue(list.apply(DemoRunner.TV_GRID_CT).contains(DemoRunner.TV_CT));
        assertTrue(list.apply(DemoRunner.TV_GRID_DECONVOLUTION).contains(DemoRunner.TV_DECONVOLUTION));
    }
}
