package io.github.lipschitzpnp.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.solve.Denoiser;
import io.github.lipschitzpnp.solve.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {

    @TempDir
    Path dir;

    /** A nonlinear 2D-only test denoiser: sqrt(|x|) pixelwise, plus the row above (so it is not pointwise). */
    static final Denoiser PLANE = new Denoiser() {
        @Override
        public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
            if (x.numDimensions() != 2) {
                throw new IllegalArgumentException("2D only");
            }
            long[] d = Intervals.dimensionsAsLongArray(x);
            float[] in = FloatImages.data(x);
            float[] out = new float[in.length];
            int w = (int) d[0];
            for (int i = 0; i < in.length; i++) {
                out[i] = (float) Math.sqrt(Math.abs(in[i])) + (i >= w ? 0.5f * in[i - w] : 0f);
            }
            return FloatImages.wrap(out, d);
        }

        @Override
        public double lipschitzBound() {
            return Double.NaN;
        }

        @Override
        public String describe() {
            return "test";
        }
    };

    static Img<FloatType> random(long seed, long... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[(int) Intervals.numElements(dims)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return FloatImages.wrap(d, dims);
    }

    @Test
    void sliceWiseDenoiserAppliesThePlaneDenoiserToEveryPlane() {
        Img<FloatType> v = random(1, 6, 5, 3);
        float[] out = FloatImages.data(new SliceWiseDenoiser(PLANE).denoise(v));
        float[] all = FloatImages.data(v);
        for (int z = 0; z < 3; z++) {
            float[] plane = java.util.Arrays.copyOfRange(all, z * 30, z * 30 + 30);
            float[] expected = FloatImages.data(PLANE.denoise(FloatImages.wrap(plane, 6, 5)));
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, z * 30, z * 30 + 30), 0f);
        }
    }

    @Test
    void scaledDenoiserConjugatesByTheFactor() {
        Img<FloatType> x = random(2, 4, 4);
        float[] out = FloatImages.data(new ScaledDenoiser(PLANE, 4).denoise(x));
        float[] in = FloatImages.data(x);
        float[] expected = FloatImages.data(PLANE.denoise(FloatImages.wrap(scale(in, 4), 4, 4)));
        for (int i = 0; i < out.length; i++) {
            assertEquals(expected[i] / 4, out[i], 1e-6);
        }
    }

    private static float[] scale(float[] a, float k) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] * k;
        }
        return o;
    }

    @Test
    void inpaintingIgnoresWhatTheDataHoldsAtMissingPixels() {
        Img<FloatType> x = random(3, 24, 24);
        Img<FloatType> mask = random(4, 24, 24);
        float[] m = FloatImages.data(mask);
        float[] other = FloatImages.copyData(x);
        for (int i = 0; i < m.length; i++) {
            m[i] = m[i] < 0.4 ? 0 : 1;
            if (m[i] == 0) {
                other[i] = 1e6f;
            }
        }
        Reconstruction.Settings s = new Reconstruction.Settings(Method.TV, 10, 0, 0.01);
        float[] a = FloatImages.data(Reconstruction.inpaint(x, mask, s, null, null, null).image());
        float[] b = FloatImages.data(Reconstruction.inpaint(FloatImages.wrap(other, 24, 24), mask, s, null, null, null)
                .image());
        assertArrayEquals(a, b, 0f);
    }

    @Test
    void opticsReadsCalibrationUnitsAndSizesThePsfToTheImage() {
        assertEquals(1000, Optics.nmPerUnit("\u00b5m"));
        assertEquals(1000, Optics.nmPerUnit("micron"));
        assertEquals(1, Optics.nmPerUnit("nm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optics.nmPerUnit("pixel"));
        assertTrue(e.getMessage().contains("Image > Properties"), e.getMessage());
        Optics o = new Optics(Optics.Model.BORN_WOLF, 1.4, 520, 1.518);
        Img<FloatType> psf = o.psfFor(new long[] {64, 48, 9}, new ImageCalibration(0.1, 0.1, 0.3, "micron"));
        long[] d = Intervals.dimensionsAsLongArray(psf);
        assertEquals(3, d.length);
        assertTrue(d[0] % 2 == 1 && d[0] <= 48 && d[2] % 2 == 1 && d[2] <= 9, java.util.Arrays.toString(d));
        Img<FloatType> psf2 = o.psfFor(new long[] {9, 9}, new ImageCalibration(0.05, 0.05, 1, "micron"));
        assertArrayEquals(new long[] {9, 9}, Intervals.dimensionsAsLongArray(psf2), "capped at the image size");
        assertThrows(IllegalArgumentException.class, () -> new Optics(Optics.Model.GAUSSIAN, 1.5, 520, 1.33));
    }

    @Test
    void anglesFilesAcceptCommentsAndSeparatorsAndMustMatchTheSinogram() throws Exception {
        Path f = dir.resolve("angles.txt");
        Files.writeString(f, "# degrees\n0, 45;90\n135 # last\n");
        assertArrayEquals(new double[] {0, 45, 90, 135}, Angles.read(f, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Angles.read(f, 5));
        assertTrue(e.getMessage().contains("holds 4 angles but the sinogram has 5 rows"), e.getMessage());
        Files.writeString(f, "0 x 90\n");
        e = assertThrows(IllegalArgumentException.class, () -> Angles.read(f, 0));
        assertTrue(e.getMessage().contains("line 1: 'x'"), e.getMessage());
    }
}
