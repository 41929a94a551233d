package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import net.imglib2.Interval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.Test;

class TilingTest {

    static final UnaryOperator<Img<FloatType>> POINTWISE = img -> {
        float[] d = FloatImages.data(img);
        float[] o = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            o[i] = (float) (Math.sin(d[i]) * d[i] + 0.5 * d[i] * d[i]);
        }
        return FloatImages.wrap(o, Intervals.dimensionsAsLongArray(img));
    };

    /** 3x3 (2D) mean filter with the image edge repeated. */
    static Img<FloatType> mean3(Img<FloatType> img) {
        int w = (int) img.dimension(0);
        int h = (int) img.dimension(1);
        float[] d = FloatImages.data(img);
        float[] o = new float[d.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        int yy = Math.min(h - 1, Math.max(0, y + dy));
                        s += d[yy * w + xx];
                    }
                }
                o[y * w + x] = (float) (s / 9);
            }
        }
        return FloatImages.wrap(o, w, h);
    }

    @Test
    void tileCountCoversUnevenAndSmallImages() {
        Tiling t = Tiling.of(32, 8); // step 24
        assertEquals(4 * 2, t.tileCount(100, 37));
        assertEquals(1, t.tileCount(10, 10));
        assertEquals(1, t.tileCount(32, 32));
        assertEquals(2 * 1 * 3, t.tileCount(33, 5, 60));
        List<Interval> tiles = t.tiles(100, 37);
        assertEquals(8, tiles.size());
        for (Interval i : tiles) {
            assertEquals(32, i.dimension(0));
            assertEquals(32, i.dimension(1));
            assertTrue(i.max(0) < 100 && i.max(1) < 37);
        }
        assertEquals(68, tiles.get(3).min(0), "last tile moved back to end at the edge");
        assertThrows(IllegalArgumentException.class, () -> Tiling.of(8, 8));
    }

    @Test
    void pointwiseFunctionsAreReproducedExactly() {
        Img<FloatType> img2 = FloatImages.wrap(ImageFilesTest.randomFloats(70 * 53, 21), 70, 53);
        for (float v : FloatImages.data(img2)) {
            assertTrue(Float.isFinite(v));
        }
        float[] whole = FloatImages.data(POINTWISE.apply(FloatImages.copy(img2)));
        assertArrayEquals(whole, FloatImages.data(Tiling.of(16, 6).apply(img2, POINTWISE)));
        assertArrayEquals(whole, FloatImages.data(Tiling.of(128, 6).apply(img2, POINTWISE)), "smaller than a tile");

        Img<FloatType> img3 = FloatImages.wrap(ImageFilesTest.randomFloats(20 * 17 * 9, 22), 20, 17, 9);
        Tiling t3 = new Tiling(new long[] {8, 7, 4}, new long[] {3, 2, 1});
        assertTrue(t3.tileCount(img3) > 20);
        assertArrayEquals(FloatImages.data(POINTWISE.apply(FloatImages.copy(img3))),
                FloatImages.data(t3.apply(img3, POINTWISE)));
    }

    @Test
    void meanFilterDiffersOnlyInTheOverlapBandAndByLittle() {
        int w = 61;
        int h = 45;
        float[] data = new float[w * h];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat();
        }
        Img<FloatType> img = FloatImages.wrap(data, w, h);
        Tiling tiling = Tiling.of(24, 8);
        float[] whole = FloatImages.data(mean3(FloatImages.copy(img)));
        float[] tiled = FloatImages.data(tiling.apply(img, TilingTest::mean3));

        int[] cover = new int[w * h];
        for (Interval t : tiling.tiles(w, h)) {
            for (long y = t.min(1); y <= t.max(1); y++) {
                for (long x = t.min(0); x <= t.max(0); x++) {
                    cover[(int) (y * w + x)]++;
                }
            }
        }
        double maxDiff = 0;
        int differing = 0;
        for (int i = 0; i < whole.length; i++) {
            double diff = Math.abs(whole[i] - tiled[i]);
            if (cover[i] == 1) {
                assertEquals(whole[i], tiled[i], 1e-6, "outside the overlap band at " + (i % w) + "," + (i / w));
            } else if (diff > 1e-6) {
                differing++;
            }
            maxDiff = Math.max(maxDiff, diff);
        }
        assertTrue(differing > 0, "the seams do show (the test can see a difference)");
        assertTrue(maxDiff < 0.02, "seam error " + maxDiff + " is small against the 0..1 range");
    }

    @Test
    void croppingTilesReproduceALocalFilterExactly() {
        for (int[] size : new int[][] {{61, 45}, {100, 24}, {25, 97}}) {
            int w = size[0];
            int h = size[1];
            Img<FloatType> img = FloatImages.wrap(ImageFilesTest.randomFloats(w * h, w + h), w, h);
            float[] whole = FloatImages.data(mean3(FloatImages.copy(img)));
            for (long margin = 1; margin <= 3; margin++) {
                Tiling tiling = Tiling.cropping(new long[] {20, 17}, margin);
                assertTrue(tiling.tileCount(w, h) > 2);
                float[] tiled = FloatImages.data(tiling.apply(img, TilingTest::mean3));
                for (int i = 0; i < whole.length; i++) {
                    assertEquals(whole[i], tiled[i], 1e-6, "margin " + margin + " at " + (i % w) + "," + (i / w));
                }
            }
            // A margin smaller than the filter's radius shows the seams: the test can fail.
            float[] tooSmall = FloatImages.data(Tiling.cropping(new long[] {20, 17}, 0).apply(img, TilingTest::mean3));
            double maxDiff = 0;
            for (int i = 0; i < whole.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(whole[i] - tooSmall[i]));
            }
            assertTrue(maxDiff > 1e-3, "seams without a margin: " + maxDiff);
        }
    }

    /**
     * Each 2x2 cell (counted from the tile's origin; a missing row or column counts as zeros)
     * replaced by its mean, then a 3x3 mean: equivariant only to even shifts, reach 1 + 1.
     */
    static Img<FloatType> cellMean2(Img<FloatType> img) {
        int w = (int) img.dimension(0);
        int h = (int) img.dimension(1);
        float[] d = FloatImages.data(img);
        float[] o = new float[d.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int cx = x - x % 2;
                int cy = y - y % 2;
                double s = 0;
                for (int j = cy; j < cy + 2 && j < h; j++) {
                    for (int i = cx; i < cx + 2 && i < w; i++) {
                        s += d[j * w + i];
                    }
                }
                o[y * w + x] = (float) (s / 4);
            }
        }
        return mean3(FloatImages.wrap(o, w, h));
    }

    @Test
    void alignedCroppingTilesReproduceACellFunctionExactly() {
        for (int[] size : new int[][] {{61, 45}, {100, 24}, {25, 97}}) {
            int w = size[0];
            int h = size[1];
            Img<FloatType> img = FloatImages.wrap(ImageFilesTest.randomFloats(w * h, w + h + 1), w, h);
            float[] whole = FloatImages.data(cellMean2(FloatImages.copy(img)));
            Tiling aligned = Tiling.cropping(new long[] {20, 17}, 3, 2);
            assertTrue(aligned.tileCount(w, h) > 2);
            for (Interval t : aligned.tiles(new long[] {w, h})) {
                assertEquals(0, t.min(0) % 2, "tile start " + t.min(0));
                assertEquals(0, t.min(1) % 2, "tile start " + t.min(1));
            }
            float[] tiled = FloatImages.data(aligned.apply(img, TilingTest::cellMean2));
            for (int i = 0; i < whole.length; i++) {
                assertEquals(whole[i], tiled[i], 1e-6, "at " + (i % w) + "," + (i / w));
            }
            // The same margin without the alignment breaks the cells at odd tile starts.
            float[] loose = FloatImages.data(Tiling.cropping(new long[] {20, 17}, 3).apply(img, TilingTest::cellMean2));
            double maxDiff = 0;
            for (int i = 0; i < whole.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(whole[i] - loose[i]));
            }
            assertTrue(maxDiff > 1e-3, "unaligned tiles should differ: " + maxDiff);
        }
        assertThrows(IllegalArgumentException.class, () -> Tiling.cropping(new long[] {8}, 3, 3));
    }

    @Test
    void progressIsReportedAndCancelStopsBetweenTiles() {
        Img<FloatType> img = FloatImages.create(40, 40);
        Tiling t = Tiling.of(16, 4);
        int total = t.tileCount(img);
        List<String> seen = new ArrayList<>();
        t.apply(img, x -> x, (done, of) -> seen.add(done + "/" + of), () -> false);
        assertEquals(total, seen.size());
        assertEquals(total + "/" + total, seen.get(total - 1));

        AtomicInteger calls = new AtomicInteger();
        assertThrows(CancellationException.class,
                () -> t.apply(img, x -> x, (done, of) -> calls.incrementAndGet(), () -> calls.get() >= 2));
        assertEquals(2, calls.get());

        assertThrows(IllegalStateException.class, () -> t.apply(img, x -> FloatImages.create(3, 3)));
    }
}
