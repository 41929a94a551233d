package io.github.lipschitzpnp.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Image files that commands must refuse (or accept) for the reliability tables: each method writes
 * one file into a folder and returns its path. Shared by the CLI and Fiji bad-input tests and the
 * fuzz test.
 */
public final class BadImages {

    private BadImages() {
    }

    /** A smooth float image in [0, 100]. */
    public static Img<FloatType> smooth(int w, int h) {
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (float) (50 + 40 * Math.sin(x * 0.3) * Math.cos(y * 0.2));
            }
        }
        return ArrayImgs.floats(d, w, h);
    }

    public static Path tiff(Path dir, String name, Img<FloatType> img) {
        Path p = dir.resolve(name);
        ImageFiles.writeTiff(img, null, p, ImageFiles.WriteOptions.overwriting());
        return p;
    }

    /** A good 32 x 32 float TIFF. */
    public static Path good(Path dir, String name) {
        return tiff(dir, name, smooth(32, 32));
    }

    /** A 32 x 32 image with one non-finite pixel {@code value} at (3, 4). */
    public static Path withPixel(Path dir, String name, float value) {
        Img<FloatType> img = smooth(32, 32);
        FloatImages.data(img)[4 * 32 + 3] = value;
        return tiff(dir, name, img);
    }

    /** A w x h image (e.g. 1 x 1). */
    public static Path sized(Path dir, String name, int w, int h) {
        return tiff(dir, name, smooth(w, h));
    }

    /** A 3-slice z-stack of 32 x 32. */
    public static Path stack(Path dir, String name) {
        float[] d = new float[32 * 32 * 3];
        float[] plane = FloatImages.data(smooth(32, 32));
        for (int z = 0; z < 3; z++) {
            System.arraycopy(plane, 0, d, z * plane.length, plane.length);
        }
        return tiff(dir, name, ArrayImgs.floats(d, 32, 32, 3));
    }

    /** A colour TIFF whose channels differ. */
    public static Path rgb(Path dir, String name) {
        ColorProcessor cp = new ColorProcessor(16, 16);
        for (int i = 0; i < 256; i++) {
            cp.set(i % 16, i / 16, (i << 16) | ((255 - i) << 8) | (i * 7 & 0xff));
        }
        return save(new ImagePlus(name, cp), dir.resolve(name));
    }

    /** Complex data as Fiji keeps it: a two-channel (real, imaginary) 32-bit hyperstack. */
    public static Path complex(Path dir, String name) {
        return save(complexImagePlus(name), dir.resolve(name));
    }

    public static ImagePlus complexImagePlus(String name) {
        ImageStack st = new ImageStack(16, 16);
        st.addSlice("real", new FloatProcessor(16, 16));
        st.addSlice("imaginary", new FloatProcessor(16, 16));
        ImagePlus imp = new ImagePlus(name, st);
        imp.setDimensions(2, 1, 1);
        imp.setOpenAsHyperStack(true);
        return imp;
    }

    private static Path save(ImagePlus imp, Path p) {
        if (!new FileSaver(imp).saveAsTiff(p.toString())) {
            throw new IllegalStateException("could not write " + p);
        }
        return p;
    }

    /**
     * A valid uncompressed 32-bit float TIFF stack header (ImageJ style, {@code images=N}) whose
     * pixel data are a sparse hole: the file claims {@code width x height x planes} pixels, takes
     * no disk space, and needs far more memory than a test JVM has.
     */
    public static Path huge(Path dir, String name, int width, int height, int planes) throws IOException {
        Path p = dir.resolve(name);
        byte[] description = ("ImageJ=1.54g\nimages=" + planes + "\nslices=" + planes + "\n\0")
                .getBytes(StandardCharsets.US_ASCII);
        int entries = 11;
        int ifd = 8;
        int descriptionAt = ifd + 2 + entries * 12 + 4;
        int dataAt = descriptionAt + description.length;
        dataAt += (8 - dataAt % 8) % 8;
        ByteBuffer b = ByteBuffer.allocate(dataAt).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, width);
        entry(b, 257, 4, 1, height);
        entry(b, 258, 3, 1, 32);
        entry(b, 259, 3, 1, 1);
        entry(b, 262, 3, 1, 1);
        entry(b, 270, 2, description.length, descriptionAt);
        entry(b, 273, 4, 1, dataAt);
        entry(b, 277, 3, 1, 1);
        entry(b, 278, 4, 1, height);
        entry(b, 279, 4, 1, width * height * 4);
        entry(b, 339, 3, 1, 3);
        b.putInt(0);
        b.put(description);
        Files.write(p, b.array());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(dataAt + (long) width * height * 4 * planes);
        }
        return p;
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
