package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

class ScalingTest {

    @Test
    void minMaxMapsToUnitRangeAndBack() {
        float[] raw = {100, 150, 300, Float.NaN, 200};
        Img<FloatType> img = FloatImages.wrap(raw, 5, 1);
        Scaling s = Scaling.minMax(img);
        assertEquals(new Scaling(100, 300), s);
        float[] n = FloatImages.data(s.normalize(img));
        assertEquals(0f, n[0]);
        assertEquals(0.25f, n[1]);
        assertEquals(1f, n[2]);
        assertEquals(Float.NaN, n[3]);
        assertArrayEquals(raw, FloatImages.data(s.restore(s.normalize(img))), 1e-4f);
        assertEquals(0.05, s.normalizeSigma(10), 1e-15);
        assertEquals(raw.length, FloatImages.data(img).length, "input untouched");
        assertEquals(150f, raw[1]);
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        float[] raw = new float[101];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 100 - i; // 100..0, unsorted order must not matter
        }
        Scaling s = Scaling.percentiles(FloatImages.wrap(raw, 101, 1), 1, 99.5);
        assertEquals(1.0, s.low(), 1e-12);
        assertEquals(99.5, s.high(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Scaling.percentiles(FloatImages.wrap(raw, 101, 1), 50, 10));
    }

    @Test
    void constantAndEmptyImages() {
        Img<FloatType> c = FloatImages.wrap(new float[] {7, 7, 7, 7}, 2, 2);
        Scaling s = Scaling.minMax(c);
        assertEquals(1.0, s.span());
        assertArrayEquals(new float[] {0, 0, 0, 0}, FloatImages.data(s.normalize(c)));
        assertArrayEquals(new float[] {7, 7, 7, 7}, FloatImages.data(s.restore(s.normalize(c))));
        Img<FloatType> nan = FloatImages.wrap(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> Scaling.minMax(nan));
    }
}
