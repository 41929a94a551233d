package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.Test;

class NDArraysTest {

    @Test
    void imageToNDArrayHasAxesReversedAndRoundTripsExactly() {
        float[] data = ImageFilesTest.randomFloats(7 * 5, 11);
        Img<FloatType> img = FloatImages.wrap(data, 7, 5); // W=7, H=5
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = NDArrays.toNDArray(img, m);
            assertEquals(new Shape(1, 1, 5, 7), a.getShape());
            // element [0, 0, y=3, x=2]
            assertEquals(img.getAt(2, 3).get(), a.getFloat(0, 0, 3, 2));
            Img<FloatType> back = NDArrays.toImg(a);
            assertArrayEquals(new long[] {7, 5}, Intervals.dimensionsAsLongArray(back));
            assertArrayEquals(data, FloatImages.data(back));
        }
    }

    @Test
    void volumesAndBatchesRoundTripExactly() {
        float[] data = ImageFilesTest.randomFloats(4 * 3 * 2, 12);
        Img<FloatType> vol = FloatImages.wrap(data, 4, 3, 2);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = NDArrays.toNDArray(vol, m, Device.cpu());
            assertEquals(new Shape(1, 1, 2, 3, 4), a.getShape());
            assertEquals(vol.getAt(3, 1, 1).get(), a.getFloat(0, 0, 1, 1, 3));
            assertArrayEquals(data, FloatImages.data(NDArrays.toImg(a)));

            Img<FloatType> t0 = FloatImages.wrap(ImageFilesTest.randomFloats(6 * 4, 13), 6, 4);
            Img<FloatType> t1 = FloatImages.wrap(ImageFilesTest.randomFloats(6 * 4, 14), 6, 4);
            Img<FloatType> t2 = FloatImages.wrap(ImageFilesTest.randomFloats(6 * 4, 15), 6, 4);
            NDArray batch = NDArrays.toBatch(List.of(t0, t1, t2), m, null);
            assertEquals(new Shape(3, 1, 4, 6), batch.getShape());
            assertEquals(t1.getAt(5, 2).get(), batch.getFloat(1, 0, 2, 5));
            List<Img<FloatType>> back = NDArrays.fromBatch(batch.mul(1f));
            assertEquals(3, back.size());
            assertArrayEquals(FloatImages.data(t0), FloatImages.data(back.get(0)));
            assertArrayEquals(FloatImages.data(t2), FloatImages.data(back.get(2)));

            assertThrows(IllegalArgumentException.class,
                    () -> NDArrays.toBatch(List.of(t0, FloatImages.create(4, 6)), m, null));
            assertThrows(IllegalArgumentException.class, () -> NDArrays.toImg(m.zeros(new Shape(2, 3, 4, 5))));
        }
    }
}
