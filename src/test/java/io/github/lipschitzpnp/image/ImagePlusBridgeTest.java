package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.ImagePlusBridge.RgbPolicy;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.Test;

class ImagePlusBridgeTest {

    /** A 16-bit hyperstack: 5 x 4 pixels, 2 channels, 3 slices, 2 frames, calibrated. */
    static ImagePlus hyperstack() {
        int c = 2;
        int z = 3;
        int t = 2;
        ImageStack st = new ImageStack(5, 4);
        for (int i = 0; i < c * z * t; i++) {
            short[] p = new short[20];
            for (int j = 0; j < 20; j++) {
                p[j] = (short) (1000 * i + j + 40000);
            }
            st.addSlice("s" + i, new ShortProcessor(5, 4, p, null));
        }
        ImagePlus imp = new ImagePlus("cells.tif", st);
        imp.setDimensions(c, z, t);
        imp.setOpenAsHyperStack(true);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.1;
        cal.pixelHeight = 0.1;
        cal.pixelDepth = 0.4;
        cal.setUnit("micron");
        cal.frameInterval = 2.5;
        return imp;
    }

    static List<Object> snapshot(ImagePlus imp) {
        List<Object> s = new ArrayList<>();
        for (int i = 1; i <= imp.getStackSize(); i++) {
            s.add(((short[]) imp.getStack().getPixels(i)).clone());
        }
        return s;
    }

    @Test
    void extractAndReassembleKeepDimensionsCalibrationAndTheInput() {
        ImagePlus src = hyperstack();
        List<Object> before = snapshot(src);
        double minBefore = src.getDisplayRangeMin();

        Img<FloatType> v = ImagePlusBridge.extract(src, 1, 1); // channel 2, frame 2 in ImageJ's terms
        assertArrayEquals(new long[] {5, 4, 3}, Intervals.dimensionsAsLongArray(v));
        int idx = src.getStackIndex(2, 3, 2); // slice 3
        assertEquals(((short[]) src.getStack().getPixels(idx))[7] & 0xffff, v.getAt(2, 1, 2).get());

        ImagePlus out = ImagePlusBridge.mapChannelsAndFrames(src, ImagePlusBridge.title(src.getTitle(), "doubled"),
                img -> {
                    for (FloatType p : img) {
                        p.mul(2);
                    }
                    return img;
                });
        assertEquals("cells-doubled", out.getTitle());
        assertEquals(32, out.getBitDepth());
        assertArrayEquals(new int[] {5, 4, 2, 3, 2}, out.getDimensions());
        assertEquals(0.4, out.getCalibration().pixelDepth);
        assertEquals(2.5, out.getCalibration().frameInterval);
        assertEquals(src.getCalibration().getUnit(), out.getCalibration().getUnit());
        for (int i = 1; i <= src.getStackSize(); i++) {
            short[] a = (short[]) src.getStack().getPixels(i);
            float[] b = (float[]) out.getStack().getPixels(i);
            for (int j = 0; j < a.length; j++) {
                assertEquals(2f * (a[j] & 0xffff), b[j]);
            }
        }
        // the input is untouched
        List<Object> after = snapshot(src);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals((short[]) before.get(i), (short[]) after.get(i));
        }
        assertEquals(minBefore, src.getDisplayRangeMin());
        assertEquals(0.1, src.getCalibration().pixelWidth);
        assertEquals("cells.tif", src.getTitle());
    }

    @Test
    void onePlaneIsThatSliceOfItsVolume() {
        ImagePlus src = hyperstack();
        for (int c = 0; c < 2; c++) {
            for (int t = 0; t < 2; t++) {
                Img<FloatType> vol = ImagePlusBridge.extract(src, c, t);
                for (int z = 0; z < 3; z++) {
                    Img<FloatType> p = ImagePlusBridge.plane(src, c, z, t);
                    assertArrayEquals(new long[] {5, 4}, Intervals.dimensionsAsLongArray(p));
                    assertArrayEquals(FloatImages.data(FloatImages.plane(vol, z)), FloatImages.data(p));
                }
            }
        }
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> ImagePlusBridge.plane(src, 0, 3, 0));
        assertTrue(e.getMessage().contains("slice 3") && e.getMessage().contains("3 slice(s)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ImagePlusBridge.plane(src, 0, 0, -1));
    }

    @Test
    void wholeHyperstacksConvertTo5DAndBack() {
        ImagePlus src = hyperstack();
        Img<FloatType> all = ImagePlusBridge.toHyperstackImg(src);
        assertArrayEquals(new long[] {5, 4, 2, 3, 2}, Intervals.dimensionsAsLongArray(all));
        int idx = src.getStackIndex(2, 3, 1); // c=1, z=2, t=0 in 0-based terms
        assertEquals(((short[]) src.getStack().getPixels(idx))[6] & 0xffff, all.getAt(1, 1, 1, 2, 0).get());
        ImagePlus back = ImagePlusBridge.toImagePlus(all, "back", ImagePlusBridge.calibration(src));
        assertArrayEquals(src.getDimensions(), back.getDimensions());
        assertArrayEquals(FloatImages.data(ImagePlusBridge.extract(src, 1, 1)),
                FloatImages.data(ImagePlusBridge.extract(back, 1, 1)));
        assertEquals(0.4, back.getCalibration().pixelDepth);
    }

    @Test
    void multiChannelImagesAreRefusedByToImgWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImagePlusBridge.toImg(hyperstack()));
        assertTrue(e.getMessage().contains("2 channel(s)") && e.getMessage().contains("extract"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ImagePlusBridge.extract(hyperstack(), 2, 0));
    }

    @Test
    void signed16BitImagesComeBackSigned() {
        ShortProcessor sp = new ShortProcessor(2, 1, new short[] {(short) (32768 - 5), (short) (32768 + 7)}, null);
        ImagePlus imp = new ImagePlus("signed", sp);
        imp.getCalibration().setSigned16BitCalibration();
        assertArrayEquals(new float[] {-5, 7}, FloatImages.data(ImagePlusBridge.toImg(imp)));
    }

    @Test
    void rgbIsRefusedOrSplitOrTakenAsLuminance() {
        ColorProcessor cp = new ColorProcessor(2, 1, new int[] {(10 << 16) | (20 << 8) | 30, 0xffffff});
        ImagePlus rgb = new ImagePlus("rgb", cp);
        rgb.getCalibration().pixelWidth = 3;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlusBridge.toImg(rgb));
        assertTrue(e.getMessage().endsWith(ImagePlusBridge.RGB_MESSAGE), e.getMessage());

        ImagePlus split = ImagePlusBridge.rgbToChannels(rgb);
        assertEquals(3, split.getNChannels());
        assertEquals(3.0, split.getCalibration().pixelWidth);
        assertArrayEquals(new float[] {10, 255}, FloatImages.data(ImagePlusBridge.extract(split, 0, 0)));
        assertArrayEquals(new float[] {20, 255}, FloatImages.data(ImagePlusBridge.extract(split, 1, 0)));
        assertArrayEquals(new float[] {30, 255}, FloatImages.data(ImagePlusBridge.extract(split, 2, 0)));

        float[] lum = FloatImages.data(ImagePlusBridge.toImg(rgb, RgbPolicy.LUMINANCE));
        assertEquals(0.299 * 10 + 0.587 * 20 + 0.114 * 30, lum[0], 1e-4);
        assertEquals(255, lum[1], 1e-4);
        assertEquals((10 << 16) | (20 << 8) | 30, ((int[]) rgb.getStack().getPixels(1))[0]);
    }

    @Test
    void imgToImagePlusAndBackIsExactWithCalibration() {
        float[] data = ImageFilesTest.randomFloats(6 * 5 * 4, 9);
        ImageCalibration cal = new ImageCalibration(0.2, 0.3, 1.5, "nm");
        ImagePlus imp = ImagePlusBridge.toImagePlus(FloatImages.wrap(data, 6, 5, 4), "vol", cal);
        assertEquals(4, imp.getNSlices());
        assertEquals(cal, ImagePlusBridge.calibration(imp));
        Img<FloatType> back = ImagePlusBridge.toImg(imp);
        assertArrayEquals(new long[] {6, 5, 4}, Intervals.dimensionsAsLongArray(back));
        assertArrayEquals(data, FloatImages.data(back));
    }

    @Test
    void titlesDropTheExtensionAndSayWhatWasDone() {
        assertEquals("cells-deconvolved", ImagePlusBridge.title("cells.tif", "deconvolved"));
        assertEquals("stack.v2-denoised", ImagePlusBridge.title("stack.v2.tiff", "denoised"));
        assertEquals("my image-denoised", ImagePlusBridge.title("my image", "denoised"));
        assertEquals("image-x", ImagePlusBridge.title(null, "x"));
    }
}
