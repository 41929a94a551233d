package io.github.lipschitzpnp.image;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import java.util.function.UnaryOperator;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * Copies between ImageJ 1.x images ({@link ImagePlus}) and ImgLib2 float images. Axes: x, y, then
 * z when there is a third one (x fastest, as in {@link FloatImages}). Nothing here modifies the
 * input image; every result is a fresh copy.
 *
 * <p>Pixel values are the calibrated values Fiji shows: 16-bit signed images come back signed, and
 * a density calibration function (if any) is applied. Channel and frame indices are 0-based.
 */
public final class ImagePlusBridge {

    /** The message for an RGB image where a grayscale one is needed. */
    public static final String RGB_MESSAGE =
            "RGB image: convert to grayscale or split channels (Image > Color > Split Channels)";

    /** What to do with an RGB image. */
    public enum RgbPolicy {
        /** Refuse it with {@link #RGB_MESSAGE}. */
        REFUSE,
        /** Use the luminance 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), in float. */
        LUMINANCE
    }

    private ImagePlusBridge() {
    }

    /** The calibration of {@code imp}. */
    public static ImageCalibration calibration(ImagePlus imp) {
        return ImageCalibration.of(imp);
    }

    /** {@link #toImg(ImagePlus, RgbPolicy)} refusing RGB. */
    public static Img<FloatType> toImg(ImagePlus imp) {
        return toImg(imp, RgbPolicy.REFUSE);
    }

    /**
     * A float copy of a single-channel image: 2D for one plane, 3D (x, y, z) for a z-stack or for a
     * time series without z. Images with several channels, or with both slices and frames, are
     * refused: use {@link #extract(ImagePlus, int, int)} for each channel and frame.
     */
    public static Img<FloatType> toImg(ImagePlus imp, RgbPolicy rgb) {
        int c = imp.getNChannels();
        int z = imp.getNSlices();
        int t = imp.getNFrames();
        if (imp.getBitDepth() == 24 && rgb == RgbPolicy.REFUSE) {
            throw new IllegalArgumentException(describe(imp) + ": " + RGB_MESSAGE);
        }
        if (c > 1 || (z > 1 && t > 1)) {
            throw new IllegalArgumentException(describe(imp) + " is a hyperstack with " + c + " channel(s), " + z
                    + " slice(s) and " + t + " frame(s); process one channel and frame at a time "
                    + "(ImagePlusBridge.extract / mapChannelsAndFrames) or split it in Fiji (Image > Hyperstacks).");
        }
        int depth = imp.getStackSize();
        return planes(imp, rgb, depth, i -> i + 1);
    }

    /**
     * A float copy of the whole image as a 5D image (x, y, channel, z, frame): ImageJ's own plane
     * order, for code that walks all dimensions itself. RGB images are refused.
     */
    public static Img<FloatType> toHyperstackImg(ImagePlus imp) {
        if (imp.getBitDepth() == 24) {
            throw new IllegalArgumentException(describe(imp) + ": " + RGB_MESSAGE);
        }
        Img<FloatType> flat = planes(imp, RgbPolicy.REFUSE, imp.getStackSize(), i -> i + 1);
        return FloatImages.wrap(FloatImages.data(flat), imp.getWidth(), imp.getHeight(), imp.getNChannels(),
                imp.getNSlices(), imp.getNFrames());
    }

    /**
     * The volume of one channel and one frame (0-based): 2D when the image has one slice, else 3D
     * (x, y, z). RGB images are refused; split them first with {@link #rgbToChannels(ImagePlus)}.
     */
    public static Img<FloatType> extract(ImagePlus imp, int channel, int frame) {
        if (imp.getBitDepth() == 24) {
            throw new IllegalArgumentException(describe(imp) + ": " + RGB_MESSAGE);
        }
        int c = imp.getNChannels();
        int t = imp.getNFrames();
        if (channel < 0 || channel >= c || frame < 0 || frame >= t) {
            throw new IndexOutOfBoundsException("channel " + channel + ", frame " + frame + " outside " + describe(imp)
                    + " with " + c + " channel(s) and " + t + " frame(s) (indices are 0-based)");
        }
        int z = imp.getNSlices();
        return planes(imp, RgbPolicy.REFUSE, z, s -> imp.getStackIndex(channel + 1, s + 1, frame + 1));
    }

    /**
     * One plane (0-based channel, slice and frame) as a 2D float copy. Only that plane is read: on
     * an ImageJ virtual stack (File > Import > TIFF Virtual Stack...) the others stay on disk. RGB
     * images are refused, as in {@link #extract(ImagePlus, int, int)}.
     */
    public static Img<FloatType> plane(ImagePlus imp, int channel, int slice, int frame) {
        if (imp.getBitDepth() == 24) {
            throw new IllegalArgumentException(describe(imp) + ": " + RGB_MESSAGE);
        }
        int c = imp.getNChannels();
        int z = imp.getNSlices();
        int t = imp.getNFrames();
        if (channel < 0 || channel >= c || slice < 0 || slice >= z || frame < 0 || frame >= t) {
            throw new IndexOutOfBoundsException("channel " + channel + ", slice " + slice + ", frame " + frame
                    + " outside " + describe(imp) + " with " + c + " channel(s), " + z + " slice(s) and " + t
                    + " frame(s) (indices are 0-based)");
        }
        int index = imp.getStackIndex(channel + 1, slice + 1, frame + 1);
        return planes(imp, RgbPolicy.REFUSE, 1, s -> index);
    }

    private static Img<FloatType> planes(ImagePlus imp, RgbPolicy rgb, int depth,
            java.util.function.IntUnaryOperator stackIndex) {
        int w = imp.getWidth();
        int h = imp.getHeight();
        long n = (long) w * h * depth;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(describe(imp) + " has " + n + " pixels, too many for one array; "
                    + "process it in parts");
        }
        float[] out = new float[(int) n];
        ImageStack stack = imp.getStack();
        Calibration cal = imp.getCalibration();
        float[] ctable = imp.getBitDepth() == 8 || imp.getBitDepth() == 16 ? cal.getCTable() : null;
        int plane = w * h;
        for (int s = 0; s < depth; s++) {
            Object pixels = stack.getPixels(stackIndex.applyAsInt(s));
            copyPlane(pixels, out, s * plane, plane, ctable, rgb, imp);
        }
        return depth == 1 ? FloatImages.wrap(out, w, h) : FloatImages.wrap(out, w, h, depth);
    }

    private static void copyPlane(Object pixels, float[] out, int offset, int n, float[] ctable, RgbPolicy rgb,
            ImagePlus imp) {
        if (pixels instanceof byte[] b) {
            for (int i = 0; i < n; i++) {
                int v = b[i] & 0xff;
                out[offset + i] = ctable == null ? v : ctable[v];
            }
        } else if (pixels instanceof short[] s) {
            for (int i = 0; i < n; i++) {
                int v = s[i] & 0xffff;
                out[offset + i] = ctable == null ? v : ctable[v];
            }
        } else if (pixels instanceof float[] f) {
            System.arraycopy(f, 0, out, offset, n);
        } else if (pixels instanceof int[] rgbPixels) {
            if (rgb != RgbPolicy.LUMINANCE) {
                throw new IllegalArgumentException(describe(imp) + ": " + RGB_MESSAGE);
            }
            for (int i = 0; i < n; i++) {
                int p = rgbPixels[i];
                out[offset + i] = luminance((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
            }
        } else {
            throw new IllegalArgumentException(describe(imp) + ": unsupported pixel type "
                    + (pixels == null ? "null (empty or virtual stack that could not be read)" : pixels.getClass()));
        }
    }

    /** ITU-R BT.601 luminance of 8-bit R, G, B. */
    static float luminance(int r, int g, int b) {
        return (float) (0.299 * r + 0.587 * g + 0.114 * b);
    }

    /**
     * An RGB image (stack or hyperstack) as a 32-bit hyperstack with three channels (R, G, B) and
     * the same slices, frames and calibration. Other images are refused.
     */
    public static ImagePlus rgbToChannels(ImagePlus rgb) {
        if (rgb.getBitDepth() != 24) {
            throw new IllegalArgumentException(describe(rgb) + " is not an RGB image");
        }
        if (rgb.getNChannels() != 1) {
            throw new IllegalArgumentException(describe(rgb) + " is RGB with several channels; not supported");
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int z = rgb.getNSlices();
        int t = rgb.getNFrames();
        ImageStack in = rgb.getStack();
        ImageStack out = new ImageStack(w, h);
        for (int f = 0; f < t; f++) {
            for (int s = 0; s < z; s++) {
                int[] p = (int[]) in.getPixels(rgb.getStackIndex(1, s + 1, f + 1));
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    float[] plane = new float[w * h];
                    for (int i = 0; i < plane.length; i++) {
                        plane[i] = (p[i] >> shift) & 0xff;
                    }
                    out.addSlice(new String[] {"R", "G", "B"}[ch], plane);
                }
            }
        }
        ImagePlus result = new ImagePlus(title(rgb.getTitle(), "channels"), out);
        result.setDimensions(3, z, t);
        result.setCalibration(rgb.getCalibration().copy());
        if (3 * z * t > 3) {
            result.setOpenAsHyperStack(true);
        }
        return result;
    }

    /**
     * A 32-bit ImagePlus holding a copy of a 2D image, a 3D (x, y, z) stack or a 5D
     * (x, y, channel, z, frame) hyperstack, with the given calibration (null for none).
     */
    public static ImagePlus toImagePlus(RandomAccessibleInterval<? extends RealType<?>> img, String title,
            ImageCalibration calibration) {
        int nd = img.numDimensions();
        if (nd != 2 && nd != 3 && nd != 5) {
            throw new IllegalArgumentException("need a 2D, 3D (x, y, z) or 5D (x, y, c, z, t) image, got " + nd + "D");
        }
        long[] dims = Intervals.dimensionsAsLongArray(img);
        int w = Math.toIntExact(dims[0]);
        int h = Math.toIntExact(dims[1]);
        int d = nd == 2 ? 1 : Math.toIntExact(Intervals.numElements(dims) / dims[0] / dims[1]);
        float[] data = FloatImages.data(img);
        ImageStack stack = new ImageStack(w, h);
        int plane = w * h;
        for (int s = 0; s < d; s++) {
            float[] p = new float[plane];
            System.arraycopy(data, s * plane, p, 0, plane);
            stack.addSlice(null, p);
        }
        ImagePlus imp = new ImagePlus(title == null ? "image" : title, stack);
        if (nd == 5) {
            imp.setDimensions((int) dims[2], (int) dims[3], (int) dims[4]);
            if (dims[2] > 1 || dims[4] > 1) {
                imp.setOpenAsHyperStack(true);
            }
        } else if (d > 1) {
            imp.setDimensions(1, d, 1);
        }
        (calibration == null ? ImageCalibration.NONE : calibration).applyTo(imp);
        resetDisplayRange(imp);
        return imp;
    }

    /**
     * A new 32-bit hyperstack of zeros with the dimensions (channels, slices, frames) and the full
     * calibration of {@code template}, ready for {@link #insert}.
     */
    public static ImagePlus newHyperstackLike(ImagePlus template, String title) {
        int c = template.getNChannels();
        int z = template.getNSlices();
        int t = template.getNFrames();
        ImagePlus imp = IJ.createImage(title, "32-bit black", template.getWidth(), template.getHeight(), c * z * t);
        imp.setDimensions(c, z, t);
        if (c * z * t > 1 && (c > 1 || t > 1)) {
            imp.setOpenAsHyperStack(true);
        }
        imp.setCalibration(template.getCalibration().copy());
        // Results are float and uncalibrated in value: drop any density function of the source.
        imp.getCalibration().disableDensityCalibration();
        return imp;
    }

    /**
     * Copies the volume of one channel and frame (0-based; 2D when the target has one slice, else
     * 3D) into a 32-bit target such as {@link #newHyperstackLike}.
     */
    public static void insert(ImagePlus target, int channel, int frame,
            RandomAccessibleInterval<? extends RealType<?>> volume) {
        if (target.getBitDepth() != 32) {
            throw new IllegalArgumentException("target must be 32-bit, " + describe(target) + " is "
                    + target.getBitDepth() + "-bit");
        }
        int w = target.getWidth();
        int h = target.getHeight();
        int z = target.getNSlices();
        long[] expected = z == 1 ? new long[] {w, h} : new long[] {w, h, z};
        long[] got = Intervals.dimensionsAsLongArray(volume);
        if (!java.util.Arrays.equals(expected, got)) {
            throw new IllegalArgumentException("volume of size " + java.util.Arrays.toString(got) + " does not fit "
                    + describe(target) + " (expects " + java.util.Arrays.toString(expected) + ")");
        }
        if (channel < 0 || channel >= target.getNChannels() || frame < 0 || frame >= target.getNFrames()) {
            throw new IndexOutOfBoundsException("channel " + channel + ", frame " + frame + " outside "
                    + describe(target) + " (indices are 0-based)");
        }
        float[] data = FloatImages.data(volume);
        ImageStack stack = target.getStack();
        int plane = w * h;
        for (int s = 0; s < z; s++) {
            float[] p = (float[]) stack.getPixels(target.getStackIndex(channel + 1, s + 1, frame + 1));
            System.arraycopy(data, s * plane, p, 0, plane);
        }
    }

    /**
     * Applies {@code f} to the volume of every channel and frame of {@code source} and assembles the
     * results into a new 32-bit hyperstack of the same dimensions and calibration. {@code f} must
     * return a volume of the size it was given. The source is not modified.
     */
    public static ImagePlus mapChannelsAndFrames(ImagePlus source, String title,
            UnaryOperator<Img<FloatType>> f) {
        ImagePlus out = newHyperstackLike(source, title);
        for (int t = 0; t < source.getNFrames(); t++) {
            for (int c = 0; c < source.getNChannels(); c++) {
                insert(out, c, t, f.apply(extract(source, c, t)));
            }
        }
        resetDisplayRange(out);
        return out;
    }

    /** Sets the display range of a float image to the full range of all its planes. */
    static void resetDisplayRange(ImagePlus imp) {
        ImageStack stack = imp.getStack();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 1; i <= stack.getSize(); i++) {
            if (stack.getPixels(i) instanceof float[] p) {
                for (float v : p) {
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
            }
        }
        if (min <= max) {
            imp.setDisplayRange(min, max == min ? min + 1 : max);
        }
    }

    /**
     * The title of a result: the source title without its file extension, then {@code -} and
     * what was done, e.g. {@code title("cells.tif", "deconvolved")} is {@code "cells-deconvolved"}.
     */
    public static String title(String sourceTitle, String what) {
        String base = sourceTitle == null || sourceTitle.isBlank() ? "image" : sourceTitle.strip();
        int dot = base.lastIndexOf('.');
        if (dot > 0 && base.length() - dot <= 5 && base.substring(dot + 1).matches("[A-Za-z0-9]+")) {
            base = base.substring(0, dot);
        }
        return what == null || what.isBlank() ? base : base + "-" + what.strip();
    }

    private static String describe(ImagePlus imp) {
        return "image \"" + imp.getTitle() + "\"";
    }
}
