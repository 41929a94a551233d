package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.ImageFiles.Format;
import io.github.lipschitzpnp.image.ImageFiles.LoadedImage;
import io.github.lipschitzpnp.image.ImageFiles.WriteOptions;
import io.github.lipschitzpnp.image.ImagePlusBridge.RgbPolicy;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    @TempDir
    Path dir;

    static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 1000);
        }
        a[0] = Float.MIN_VALUE;
        a[1] = -3.4e38f;
        return a;
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void float32TiffRoundTripIsBitExactAndKeepsCalibration() {
        float[] data = randomFloats(37 * 23, 1);
        ImageCalibration cal = new ImageCalibration(0.065, 0.07, 0.3, "micron");
        Path f = dir.resolve("a.tif");
        ImageFiles.writeTiff(FloatImages.wrap(data.clone(), 37, 23), cal, f, WriteOptions.noOverwrite());

        LoadedImage in = ImageFiles.read(f);
        assertEquals(Format.TIFF, in.format());
        assertEquals(32, in.bitDepth());
        assertArrayEquals(new long[] {37, 23}, Intervals.dimensionsAsLongArray(in.image()));
        assertArrayEquals(data, FloatImages.data(in.image()));
        // x and y sizes travel as TIFF rationals (1/size): exact to about 1e-7 relative
        assertEquals(0.065, in.calibration().pixelWidth(), 1e-8);
        assertEquals(0.07, in.calibration().pixelHeight(), 1e-8);
        assertEquals("micron", in.calibration().unit());
    }

    @Test
    void stackIsRead3DWithItsZStep() {
        float[] data = randomFloats(9 * 7 * 5, 2);
        Path f = dir.resolve("stack.tif");
        ImageFiles.writeTiff(FloatImages.wrap(data, 9, 7, 5), new ImageCalibration(0.1, 0.1, 0.25, "um"), f,
                WriteOptions.noOverwrite());
        LoadedImage in = ImageFiles.read(f);
        assertArrayEquals(new long[] {9, 7, 5}, Intervals.dimensionsAsLongArray(in.image()));
        assertArrayEquals(data, FloatImages.data(in.image()));
        assertEquals(0.25, in.calibration().pixelDepth(), 1e-12);
        assertEquals("\u00B5m", in.calibration().unit(), "ImageJ spells um as micro-m");
    }

    @Test
    void onePlaneOfAStackIsReadWithoutTheOthers() throws IOException {
        float[] data = randomFloats(9 * 7 * 5, 3);
        Img<FloatType> stack = FloatImages.wrap(data, 9, 7, 5);
        Path f = dir.resolve("stack.tif");
        ImageFiles.writeTiff(stack, new ImageCalibration(0.1, 0.2, 0.25, "um"), f, WriteOptions.noOverwrite());
        assertEquals(5, ImageFiles.planes(f));
        for (int z = 0; z < 5; z++) {
            LoadedImage p = ImageFiles.readPlane(f, z);
            assertArrayEquals(new long[] {9, 7}, Intervals.dimensionsAsLongArray(p.image()));
            assertArrayEquals(FloatImages.data(FloatImages.plane(stack, z)), FloatImages.data(p.image()), "plane " + z);
            assertEquals(0.2, p.calibration().pixelHeight(), 1e-8);
            assertEquals(32, p.bitDepth());
        }
        // only plane 3's bytes are read: spoil plane 4's and plane 3 still reads exactly
        byte[] bytes = Files.readAllBytes(f);
        int at = indexOf(bytes, FloatImages.data(FloatImages.plane(stack, 4)));
        assertTrue(at > 0);
        Arrays.fill(bytes, at, at + 9 * 7 * 4, (byte) 0x7f);
        Path spoilt = dir.resolve("spoilt.tif");
        Files.write(spoilt, bytes);
        assertArrayEquals(FloatImages.data(FloatImages.plane(stack, 3)), FloatImages.data(ImageFiles.readPlane(spoilt, 3).image()));
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.readPlane(f, 5));
        assertTrue(e.getMessage().contains("5 planes (0 to 4)"), e.getMessage());
        // a 2D file is one plane
        Path flat = dir.resolve("flat.tif");
        ImageFiles.writeTiff(FloatImages.plane(stack, 1), null, flat, WriteOptions.noOverwrite());
        assertEquals(1, ImageFiles.planes(flat));
        assertArrayEquals(FloatImages.data(FloatImages.plane(stack, 1)), FloatImages.data(ImageFiles.readPlane(flat, 0).image()));
    }

    @Test
    void aStackIsAssembledFromPlaneFilesAtomically() throws IOException {
        float[] data = randomFloats(9 * 7 * 4, 4);
        Img<FloatType> stack = FloatImages.wrap(data, 9, 7, 4);
        Path parts = Files.createDirectories(dir.resolve("parts"));
        List<Path> files = new java.util.ArrayList<>();
        for (int z = 0; z < 4; z++) {
            Path f = parts.resolve("p" + z + ".tif");
            ImageFiles.writeTiff(FloatImages.plane(stack, z), null, f, WriteOptions.noOverwrite());
            files.add(f);
        }
        Path out = dir.resolve("out").resolve("vol.tif");
        Files.createDirectories(out.getParent());
        ImageFiles.writeTiffStack(files, 9, 7, new ImageCalibration(0.5, 0.5, 2, "mm"), out, WriteOptions.noOverwrite());
        LoadedImage back = ImageFiles.read(out);
        assertArrayEquals(new long[] {9, 7, 4}, Intervals.dimensionsAsLongArray(back.image()));
        assertArrayEquals(data, FloatImages.data(back.image()));
        assertEquals(2, back.calibration().pixelDepth(), 1e-12);
        assertEquals(0.5, back.calibration().pixelWidth(), 1e-8);
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of("vol.tif"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        // a plane of the wrong size fails the write and leaves nothing behind
        Path odd = parts.resolve("odd.tif");
        ImageFiles.writeTiff(FloatImages.wrap(new float[8 * 7], 8, 7), null, odd, WriteOptions.noOverwrite());
        Path bad = out.resolveSibling("bad.tif");
        assertThrows(ImageFileException.class, () -> ImageFiles.writeTiffStack(List.of(files.get(0), odd), 9, 7, null,
                bad, WriteOptions.noOverwrite()));
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of("vol.tif"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void planesOfATiffWithOneDirectoryPerPageAnd16BitStacks() throws IOException {
        short[][] pages = new short[3][6 * 4];
        for (int z = 0; z < 3; z++) {
            for (int i = 0; i < pages[z].length; i++) {
                pages[z][i] = (short) (1000 * z + 37 * i);
            }
        }
        Path f = dir.resolve("pages.tif");
        Files.write(f, multiPageTiff16(6, 4, pages));
        assertEquals(3, ImageFiles.planes(f));
        Img<FloatType> whole = ImageFiles.read(f).image();
        assertArrayEquals(new long[] {6, 4, 3}, Intervals.dimensionsAsLongArray(whole));
        for (int z = 0; z < 3; z++) {
            LoadedImage p = ImageFiles.readPlane(f, z);
            assertEquals(16, p.bitDepth());
            assertArrayEquals(FloatImages.data(FloatImages.plane(whole, z)), FloatImages.data(p.image()), "page " + z);
            assertEquals(37f + 1000 * z, FloatImages.data(p.image())[1]);
        }
        ImagePlus hs = ij.IJ.createImage("hs", "16-bit ramp", 8, 6, 2, 3, 1);
        Path h = dir.resolve("hs.tif");
        ImageFiles.writeTiff(hs, h, WriteOptions.noOverwrite());
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.readPlane(h, 0));
        assertTrue(e.getMessage().contains("2 channels") && e.getMessage().contains("Split Channels"), e.getMessage());
    }

    /** Where the bytes of {@code values} (either byte order) start in {@code bytes}, or -1. */
    static int indexOf(byte[] bytes, float[] values) {
        int big = indexOf(bytes, toBytes(values, java.nio.ByteOrder.BIG_ENDIAN));
        return big >= 0 ? big : indexOf(bytes, toBytes(values, java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    static int indexOf(byte[] bytes, byte[] want) {
        outer:
        for (int i = 0; i + want.length <= bytes.length; i++) {
            for (int j = 0; j < want.length; j++) {
                if (bytes[i + j] != want[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] toBytes(float[] values, java.nio.ByteOrder order) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A baseline little-endian TIFF, 16-bit grey, uncompressed, one image directory per page. */
    static byte[] multiPageTiff16(int w, int h, short[][] pages) {
        int entries = 8;
        int ifdBytes = 2 + 12 * entries + 4;
        int pixelBytes = 2 * w * h;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + pages.length * (ifdBytes + pixelBytes))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        for (int z = 0; z < pages.length; z++) {
            int ifd = b.position();
            int pixels = ifd + ifdBytes;
            int next = z + 1 < pages.length ? pixels + pixelBytes : 0;
            b.putShort((short) entries);
            int[][] tags = {{256, 3, w}, {257, 3, h}, {258, 3, 16}, {259, 3, 1}, {262, 3, 1}, {273, 4, pixels},
                {278, 3, h}, {279, 4, pixelBytes}};
            for (int[] t : tags) {
                b.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
                if (t[1] == 3) {
                    b.putShort((short) t[2]).putShort((short) 0);
                } else {
                    b.putInt(t[2]);
                }
            }
            b.putInt(next);
            for (short v : pages[z]) {
                b.putShort(v);
            }
        }
        return b.array();
    }

    @Test
    void sixteenAndEightBitTiffsKeepTheirValues() {
        short[] s = new short[11 * 6 * 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (i * 997 + 30000);
        }
        ImageStack st = new ImageStack(11, 6);
        st.addSlice(null, new ShortProcessor(11, 6, Arrays.copyOfRange(s, 0, 66), null));
        st.addSlice(null, new ShortProcessor(11, 6, Arrays.copyOfRange(s, 66, 132), null));
        Path f16 = dir.resolve("s16.tif");
        ImageFiles.writeTiff(new ImagePlus("s16", st), f16, WriteOptions.noOverwrite());
        LoadedImage in16 = ImageFiles.read(f16);
        assertEquals(16, in16.bitDepth());
        float[] got = FloatImages.data(in16.image());
        for (int i = 0; i < s.length; i++) {
            assertEquals(s[i] & 0xffff, got[i], "pixel " + i);
        }
        assertTrue(got[3] > 32767, "unsigned values above 32767 survive");

        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        Path f8 = dir.resolve("b8.tiff");
        ImageFiles.writeTiff(new ImagePlus("b8", new ByteProcessor(16, 16, b)), f8, WriteOptions.noOverwrite());
        LoadedImage in8 = ImageFiles.read(f8);
        assertEquals(8, in8.bitDepth());
        float[] g8 = FloatImages.data(in8.image());
        for (int i = 0; i < 256; i++) {
            assertEquals(i, g8[i]);
        }
    }

    /** Writes an 8-bit PNG of the ramp {@code i % 256} and returns the ramp. */
    static float[] rampPng8(Path p, int w, int h) {
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 256;
        }
        ImageFiles.writePng(FloatImages.wrap(v, w, h), 8, Scaling.range(0, 255), p, WriteOptions.noOverwrite());
        return v;
    }

    @Test
    void pngRoundTripsAt8And16Bits() {
        Path p8 = dir.resolve("a8.png");
        float[] v = rampPng8(p8, 20, 13);
        LoadedImage in8 = ImageFiles.read(p8);
        assertEquals(Format.PNG, in8.format());
        assertEquals(8, in8.bitDepth());
        assertArrayEquals(v, FloatImages.data(in8.image()));

        float[] w = new float[20 * 13];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i * 251) % 65536;
        }
        Path p16 = dir.resolve("a16.png");
        ImageFiles.writePng(FloatImages.wrap(w, 20, 13), 16, Scaling.range(0, 65535), p16, WriteOptions.noOverwrite());
        LoadedImage in16 = ImageFiles.read(p16);
        assertEquals(16, in16.bitDepth());
        assertArrayEquals(w, FloatImages.data(in16.image()));

        // min-max scaling stretches -1..3 onto 0..255; NaN becomes 0
        float[] x = {-1, 1, 3, Float.NaN};
        Path pm = dir.resolve("mm.png");
        Img<FloatType> xi = FloatImages.wrap(x, 2, 2);
        ImageFiles.writePng(xi, 8, Scaling.minMax(xi), pm, WriteOptions.noOverwrite());
        assertArrayEquals(new float[] {0, 128, 255, 0}, FloatImages.data(ImageFiles.read(pm).image()));
    }

    private Path writeRgbPng(String name, boolean gray) throws IOException {
        BufferedImage bi = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                int r = 10 * x + 5;
                int g = gray ? r : 20 * y + 7;
                int b = gray ? r : 200;
                bi.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(bi, "png", f.toFile()));
        return f;
    }

    @Test
    void rgbIsRefusedWithTheSplitChannelsHintUnlessLuminanceIsAsked() throws IOException {
        Path f = writeRgbPng("colour.png", false);
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains(ImagePlusBridge.RGB_MESSAGE), e.getMessage());
        assertTrue(e.getMessage().contains("colour.png"), e.getMessage());

        LoadedImage lum = ImageFiles.read(f, RgbPolicy.LUMINANCE);
        float expected = (float) (0.299 * 25 + 0.587 * 27 + 0.114 * 200); // x=2, y=1
        assertEquals(expected, lum.image().getAt(2, 1).get(), 1e-4);

        Path g = writeRgbPng("gray-as-rgb.png", true);
        LoadedImage gray = ImageFiles.read(g);
        assertEquals(8, gray.bitDepth());
        assertEquals(35f, gray.image().getAt(3, 2).get());
    }

    @Test
    void truncatedFilesGiveAClearError() throws IOException {
        Path f = dir.resolve("cut.tif");
        ImageFiles.writeTiff(FloatImages.wrap(randomFloats(64 * 64, 3), 64, 64), null, f, WriteOptions.noOverwrite());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        // only the header left
        Files.write(f, Arrays.copyOf(all, 6));
        ImageFileException e2 = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e2.getMessage().contains(f.toString()), e2.getMessage());

        Path p = dir.resolve("cut.png");
        float[] v = randomFloats(64 * 64, 4);
        ImageFiles.writePng(FloatImages.wrap(v, 64, 64), 16, Scaling.range(-3000, 3000), p, WriteOptions.noOverwrite());
        byte[] png = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(png, png.length / 2));
        ImageFileException e3 = assertThrows(ImageFileException.class, () -> ImageFiles.read(p));
        assertTrue(e3.getMessage().contains(p.toString()) && e3.getMessage().contains("truncated"), e3.getMessage());
    }

    @Test
    void textOrOtherFormatsNamedTifGiveAClearError() throws IOException {
        Path f = dir.resolve("notes.tif");
        Files.writeString(f, "hello, this is not an image\n", StandardCharsets.US_ASCII);
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("notes.tif"), e.getMessage());
        assertTrue(e.getMessage().contains("not a TIFF, PNG or JPEG"), e.getMessage());
        assertTrue(e.getMessage().contains("hello"), e.getMessage());

        Path png = writeRgbPng("really-a-png.tif", true);
        ImageFileException e2 = assertThrows(ImageFileException.class, () -> ImageFiles.read(png));
        assertTrue(e2.getMessage().contains("PNG data") && e2.getMessage().contains(".png"), e2.getMessage());

        ImageFileException e3 = assertThrows(ImageFileException.class, () -> ImageFiles.read(dir.resolve("nope.tif")));
        assertTrue(e3.getMessage().contains("not found"), e3.getMessage());

        Path empty = Files.createFile(dir.resolve("empty.tif"));
        ImageFileException e4 = assertThrows(ImageFileException.class, () -> ImageFiles.read(empty));
        assertTrue(e4.getMessage().contains("empty"), e4.getMessage());
    }

    @Test
    void writesAreAtomicAndNeverOverwriteUnlessAsked() throws IOException {
        Path f = dir.resolve("out.tif");
        Img<FloatType> one = FloatImages.wrap(new float[] {1, 2, 3, 4}, 2, 2);
        Img<FloatType> two = FloatImages.wrap(new float[] {5, 6, 7, 8}, 2, 2);
        ImageFiles.writeTiff(one, null, f, WriteOptions.noOverwrite());
        assertEquals(List.of("out.tif"), listing());
        byte[] before = Files.readAllBytes(f);

        ImageFileException e = assertThrows(ImageFileException.class,
                () -> ImageFiles.writeTiff(two, null, f, WriteOptions.noOverwrite()));
        assertTrue(e.getMessage().contains("--force") && e.getMessage().contains("out.tif"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("out.tif"), listing());

        ImageFiles.writeTiff(two, null, f, WriteOptions.overwriting());
        assertArrayEquals(new float[] {5, 6, 7, 8}, FloatImages.data(ImageFiles.read(f).image()));
        assertEquals(List.of("out.tif"), listing());

        ImageFileException onInput = assertThrows(ImageFileException.class, () -> ImageFiles.writeTiff(one, null,
                f, WriteOptions.overwriting().protecting(dir.resolve(".").resolve("out.tif"))));
        assertTrue(onInput.getMessage().contains("input"), onInput.getMessage());

        ImageFileException noDir = assertThrows(ImageFileException.class, () -> ImageFiles.writePng(one, 8,
                Scaling.range(0, 8), dir.resolve("missing").resolve("x.png"), WriteOptions.noOverwrite()));
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
        assertEquals(List.of("out.tif"), listing());
    }

    @Test
    void unwritableDirectoryIsReported() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(ro), "running as a user who can write anywhere");
            ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.writeTiff(
                    FloatImages.create(2, 2), null, ro.resolve("x.tif"), WriteOptions.noOverwrite()));
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void grayJpegIsReadAndATruncatedOneIsRefused() throws IOException {
        BufferedImage bi = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                bi.getRaster().setSample(x, y, 0, 100);
            }
        }
        Path f = dir.resolve("flat.jpg");
        assertTrue(ImageIO.write(bi, "jpg", f.toFile()));
        LoadedImage in = ImageFiles.read(f);
        assertEquals(Format.JPEG, in.format());
        assertEquals(8, in.bitDepth());
        assertEquals(100f, in.image().getAt(10, 5).get(), 1f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 2));
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("flat.jpg") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void hyperstackFilesKeepTheirStructureButAreNotFlattened() {
        ImagePlus hs = ij.IJ.createImage("hs", "16-bit ramp", 8, 6, 2, 3, 2);
        hs.getCalibration().pixelDepth = 0.7;
        hs.getCalibration().setUnit("micron");
        Path f = dir.resolve("hs.tif");
        ImageFiles.writeTiff(hs, f, WriteOptions.noOverwrite());
        ImagePlus back = ImageFiles.openImagePlus(f);
        assertArrayEquals(new int[] {8, 6, 2, 3, 2}, back.getDimensions());
        assertEquals(0.7, back.getCalibration().pixelDepth, 1e-12);
        assertArrayEquals(FloatImages.data(ImagePlusBridge.extract(hs, 1, 1)),
                FloatImages.data(ImagePlusBridge.extract(back, 1, 1)));
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("hs.tif") && e.getMessage().contains("2 channel(s)"), e.getMessage());
    }

    @Test
    void sixteenBitColourPngIsRefusedRatherThanCutTo8Bits() throws IOException {
        java.awt.image.ColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT);
        BufferedImage bi = new BufferedImage(cm, cm.createCompatibleWritableRaster(4, 3), false, null);
        Path f = dir.resolve("rgb48.png");
        assertTrue(ImageIO.write(bi, "png", f.toFile()));
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("rgb48.png") && e.getMessage().contains("16 bits"), e.getMessage());
    }

    @Test
    void checkFiniteReportsCountAndFirstPosition() {
        float[] v = new float[5 * 4];
        v[7] = Float.NaN; // x=2, y=1
        v[12] = Float.POSITIVE_INFINITY;
        v[19] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFiles.checkFinite(FloatImages.wrap(v, 5, 4), "input"));
        assertTrue(e.getMessage().contains("3 non-finite") && e.getMessage().contains("x=2, y=1"), e.getMessage());
        ImageFiles.checkFinite(FloatImages.create(5, 4), "zeros");
        assertFalse(Float.isFinite(v[12]));
    }
}
