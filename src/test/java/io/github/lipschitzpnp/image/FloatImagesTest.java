package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.Test;

/** Planes out of stacks and stacks out of planes: x fastest, then y, then z. */
class FloatImagesTest {

    @Test
    void planesOfAStackAreItsConsecutiveSlabsAndStackingThemBackGivesTheStack() {
        float[] v = new float[3 * 2 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Img<FloatType> stack = FloatImages.wrap(v, 3, 2, 4);
        for (int z = 0; z < 4; z++) {
            Img<FloatType> p = FloatImages.plane(stack, z);
            assertArrayEquals(new long[] {3, 2}, Intervals.dimensionsAsLongArray(p));
            assertArrayEquals(java.util.Arrays.copyOfRange(v, z * 6, z * 6 + 6), FloatImages.data(p), 0f);
        }
        Img<FloatType> back = FloatImages.stack(List.of(FloatImages.plane(stack, 0), FloatImages.plane(stack, 1),
                FloatImages.plane(stack, 2), FloatImages.plane(stack, 3)));
        assertArrayEquals(new long[] {3, 2, 4}, Intervals.dimensionsAsLongArray(back));
        assertArrayEquals(v, FloatImages.data(back), 0f);
        // the planes are copies: writing to one leaves the stack alone
        FloatImages.data(FloatImages.plane(stack, 1))[0] = -1;
        assertArrayEquals(v, FloatImages.data(stack), 0f);
    }

    @Test
    void aPlaneOfA2dImageIsTheImageAndMismatchedPlanesAreRefused() {
        Img<FloatType> flat = FloatImages.create(4, 4);
        assertSame(flat, FloatImages.plane(flat, 0));
        assertThrows(IllegalArgumentException.class, () -> FloatImages.plane(flat, 1));
        assertThrows(IllegalArgumentException.class, () -> FloatImages.stack(List.of(flat, FloatImages.create(4, 5))));
        assertThrows(IllegalArgumentException.class, () -> FloatImages.stack(List.of()));
        assertThrows(IllegalArgumentException.class, () -> FloatImages.plane(FloatImages.create(2, 2, 2, 2), 0));
    }
}
