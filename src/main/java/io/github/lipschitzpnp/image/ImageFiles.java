package io.github.lipschitzpnp.image;

import io.github.lipschitzpnp.image.ImagePlusBridge.RgbPolicy;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.plugin.PNG_Writer;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reading and writing image files through ij.jar: TIFF (8, 16, 32-bit; single images and stacks),
 * PNG and JPEG (grayscale). Every failure is an {@link ImageFileException} whose message names the
 * file, the problem and the fix. Writes are atomic: the image goes to a temporary file in the
 * target's directory which is then moved into place, so a reader never sees half a file and an
 * interrupted write leaves the old file intact.
 */
public final class ImageFiles {

    /** Supported file formats, recognised by their first bytes (not their names). */
    public enum Format {
        TIFF, PNG, JPEG
    }

    /**
     * An image read from a file.
     *
     * @param image the pixels: 2D (x, y) or, for a stack, 3D (x, y, z)
     * @param calibration pixel sizes and unit (from the TIFF; PNG and JPEG have none)
     * @param file where it came from
     * @param format the file's format
     * @param bitDepth 8, 16 or 32 (24 for RGB read as luminance)
     */
    public record LoadedImage(Img<FloatType> image, ImageCalibration calibration, Path file, Format format,
            int bitDepth) {
    }

    /**
     * How to write: whether an existing file may be replaced, and which paths (the inputs) must
     * never be written to.
     */
    public record WriteOptions(boolean overwrite, List<Path> inputs) {

        public WriteOptions {
            inputs = List.copyOf(inputs);
        }

        /** Refuse to replace existing files (the default). */
        public static WriteOptions noOverwrite() {
            return new WriteOptions(false, List.of());
        }

        /** Replace existing files (the command line's --force). */
        public static WriteOptions overwriting() {
            return new WriteOptions(true, List.of());
        }

        /** The same options, also refusing to write onto any of {@code paths}. */
        public WriteOptions protecting(Path... paths) {
            List<Path> all = new ArrayList<>(inputs);
            all.addAll(Arrays.asList(paths));
            return new WriteOptions(overwrite, all);
        }
    }

    private ImageFiles() {
    }

    // ----------------------------------------------------------------------------------- reading

    /** {@link #read(Path, RgbPolicy)} refusing RGB images. */
    public static LoadedImage read(Path file) {
        return read(file, RgbPolicy.REFUSE);
    }

    /**
     * Reads a single-channel image: a 2D image, or a stack (z or time) as a 3D image. Hyperstacks
     * with several channels, or with both slices and frames, are refused (open them with
     * {@link #openImagePlus} and use {@link ImagePlusBridge#extract}). An RGB file whose three
     * channels are equal counts as grayscale; other RGB files are refused unless {@code rgb} is
     * {@link RgbPolicy#LUMINANCE}.
     */
    public static LoadedImage read(Path file, RgbPolicy rgb) {
        Format format = sniff(file);
        return loaded(file, format, open(file, format), rgb);
    }

    /** An opened single-channel ImagePlus as 32-bit float, with its calibration and bit depth. */
    private static LoadedImage loaded(Path file, Format format, ImagePlus imp, RgbPolicy rgb) {
        int bitDepth = imp.getBitDepth();
        Img<FloatType> img;
        try {
            img = ImagePlusBridge.toImg(imp, rgb);
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(file, "Cannot use " + file + ": " + e.getMessage(), e);
        }
        return new LoadedImage(img, ImageCalibration.of(imp), file, format, bitDepth);
    }

    /**
     * Opens any supported file as an ImagePlus (hyperstack structure and full calibration kept; RGB
     * kept as RGB unless its channels are equal, then 8-bit).
     */
    public static ImagePlus openImagePlus(Path file) {
        return open(file, sniff(file));
    }

    /** The format of a readable, non-empty file that matches its extension, else a clear error. */
    public static Format sniff(Path file) {
        if (file == null) {
            throw new ImageFileException(null, "No image file given.");
        }
        if (!Files.exists(file)) {
            throw new ImageFileException(file, "Image file not found: " + file + ". Check the path and the spelling.");
        }
        if (Files.isDirectory(file)) {
            throw new ImageFileException(file, file + " is a directory, not an image file. Name a .tif, .png or .jpg file.");
        }
        if (!Files.isReadable(file)) {
            throw new ImageFileException(file, "Cannot read " + file + ": permission denied. Check the file's permissions.");
        }
        byte[] head = new byte[16];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new ImageFileException(file, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new ImageFileException(file, "Image file " + file + " is empty (0 bytes): it was not written "
                    + "completely. Save or copy it again.");
        }
        Format content = formatOf(head, n);
        Format named = formatOfName(file);
        String name = file.getFileName().toString();
        if (content == null) {
            throw new ImageFileException(file, file + " is not a TIFF, PNG or JPEG file (it starts with "
                    + describeBytes(head, n) + ")" + (named != null ? " although it is named ." + extension(name) : "")
                    + ". Open it in Fiji and save it as TIFF, or check that this is the file you meant.");
        }
        if (named != null && named != content) {
            throw new ImageFileException(file, file + " is named like a " + named + " file but contains " + content
                    + " data. Rename it to end in " + suggestedExtension(content) + ".");
        }
        return content;
    }

    private static Format formatOf(byte[] h, int n) {
        if (n >= 4 && ((h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0)
                || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && h[3] == 42))) {
            return Format.TIFF;
        }
        if (n >= 8 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return Format.PNG;
        }
        if (n >= 3 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xD8 && (h[2] & 0xff) == 0xFF) {
            return Format.JPEG;
        }
        return null;
    }

    private static Format formatOfName(Path file) {
        switch (extension(file.getFileName().toString())) {
            case "tif": case "tiff":
                return Format.TIFF;
            case "png":
                return Format.PNG;
            case "jpg": case "jpeg":
                return Format.JPEG;
            default:
                return null;
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String suggestedExtension(Format f) {
        return switch (f) {
            case TIFF -> ".tif";
            case PNG -> ".png";
            case JPEG -> ".jpg";
        };
    }

    private static String describeBytes(byte[] h, int n) {
        boolean text = n > 0;
        for (int i = 0; i < n; i++) {
            int b = h[i] & 0xff;
            if (b < 9 || (b > 13 && b < 32) || b > 126) {
                text = false;
            }
        }
        if (text) {
            String s = new String(h, 0, n, StandardCharsets.US_ASCII).replaceAll("\\s+", " ").strip();
            return "the text \"" + s + "\"";
        }
        StringBuilder sb = new StringBuilder("the bytes");
        for (int i = 0; i < Math.min(n, 8); i++) {
            sb.append(String.format(" %02X", h[i] & 0xff));
        }
        return sb.toString();
    }

    private static ImagePlus open(Path file, Format format) {
        ImagePlus imp;
        try {
            imp = format == Format.TIFF ? openTiff(file) : openImageIO(file, format);
        } catch (ImageFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(file, format, String.valueOf(e.getMessage()), e);
        }
        if (imp == null || imp.getStackSize() < 1 || imp.getWidth() < 1 || imp.getHeight() < 1) {
            throw damaged(file, format, "ImageJ could not decode it", null);
        }
        imp = grayIfRgbChannelsEqual(imp);
        imp.setTitle(file.getFileName().toString());
        return imp;
    }

    /** An RGB image whose three channels are equal as 8-bit gray; any other image as it is. */
    private static ImagePlus grayIfRgbChannelsEqual(ImagePlus imp) {
        ImagePlus gray = imp.getBitDepth() == 24 ? grayIfChannelsEqual(imp) : null;
        return gray != null ? gray : imp;
    }

    private static ImageFileException damaged(Path file, Format format, String why, Throwable cause) {
        return new ImageFileException(file, "Cannot read " + file + " as " + format + ": " + why.replaceAll("[.!\\s]+$", "")
                + ". The file is damaged or truncated (an interrupted copy or save?): copy or save it again.", cause);
    }

    /** The TIFF's image directories as ij.jar decodes them, after checking their chain. */
    private static FileInfo[] tiffInfo(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        String dir = abs.getParent().toString() + java.io.File.separator;
        String name = abs.getFileName().toString();
        checkIfdChain(file);
        FileInfo[] info = new TiffDecoder(dir, name).getTiffInfo();
        if (info == null || info.length == 0) {
            throw damaged(file, Format.TIFF, "no image found in the TIFF header", null);
        }
        return info;
    }

    private static int planes(FileInfo[] info) {
        return info.length > 1 ? info.length : Math.max(1, info[0].nImages);
    }

    /**
     * How many planes (z or time) an image file holds: for a TIFF from its header alone, without
     * reading pixels; 1 for PNG and JPEG.
     */
    public static int planes(Path file) {
        Format format = sniff(file);
        if (format != Format.TIFF) {
            return 1;
        }
        try {
            return planes(tiffInfo(file));
        } catch (ImageFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(file, format, String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * Plane {@code z} (0-based) of a single-channel image file as a 2D image, with the file's
     * calibration. From a TIFF only that plane's pixels are read (an ImageJ stack of uncompressed
     * planes, or one image directory per plane), so one task can take one slice of a stack far
     * larger than its memory; a compressed ImageJ stack, PNG and JPEG are read whole.
     */
    public static LoadedImage readPlane(Path file, int z) {
        Format format = sniff(file);
        FileInfo plane = format == Format.TIFF ? planeInfo(file, z) : null;
        if (plane == null) {
            LoadedImage all = read(file);
            int n = all.image().numDimensions() < 3 ? 1 : (int) all.image().dimension(2);
            checkPlane(file, z, n);
            return new LoadedImage(FloatImages.plane(all.image(), z), all.calibration(), file, format, all.bitDepth());
        }
        long pixels = MemoryCheck.pixels(plane.width, plane.height, 1);
        MemoryCheck.require(MemoryCheck.sum(MemoryCheck.bytes(pixels, Math.max(1, plane.getBytesPerPixel())),
                MemoryCheck.bytes(pixels, 4)), "reading plane " + z + " of " + file + " (" + plane.width + " x "
                + plane.height + " pixels)", file);
        ImagePlus imp;
        try {
            imp = new FileOpener(plane).openImage();
        } catch (RuntimeException e) {
            throw damaged(file, format, String.valueOf(e.getMessage()), e);
        }
        if (imp == null || imp.getWidth() < 1 || imp.getHeight() < 1) {
            throw damaged(file, format, "ImageJ could not decode plane " + z, null);
        }
        if (imp.getStackSize() > 1) {
            imp = new ImagePlus(imp.getTitle(), imp.getStack().getProcessor(1));
        }
        return loaded(file, format, grayIfRgbChannelsEqual(imp), RgbPolicy.REFUSE);
    }

    /**
     * Whether {@link #readPlane} reads a plane of this file without reading the others: a TIFF
     * with one image directory per plane, or an ImageJ stack of uncompressed planes (and any
     * single-plane TIFF). False for PNG, JPEG and compressed ImageJ stacks, which it reads whole.
     */
    public static boolean readsPlanesAlone(Path file) {
        return sniff(file) == Format.TIFF && planeInfo(file, 0) != null;
    }

    /**
     * The TIFF directory of plane {@code z} alone (null when the planes cannot be read one by one);
     * refuses a plane out of range and a multi-channel hyperstack.
     */
    private static FileInfo planeInfo(Path file, int z) {
        try {
            FileInfo[] info = tiffInfo(file);
            int n = planes(info);
            checkPlane(file, z, n);
            String description = info[0].description == null ? "" : info[0].description;
            java.util.regex.Matcher channels = java.util.regex.Pattern.compile("(?m)^channels=(\\d+)").matcher(description);
            if (channels.find() && Integer.parseInt(channels.group(1)) > 1) {
                throw new ImageFileException(file, "Cannot take plane " + z + " of " + file + ": it is a hyperstack with "
                        + channels.group(1) + " channels. Split the channels in Fiji (Image > Color > Split Channels) "
                        + "and save the one to use.");
            }
            FileInfo plane = null;
            if (info.length > 1) {
                plane = info[z];
            } else if (n == 1) {
                plane = info[0];
            } else if (info[0].compression == FileInfo.COMPRESSION_NONE) {
                plane = (FileInfo) info[0].clone();
                long bytes = (long) plane.width * plane.height * plane.getBytesPerPixel();
                plane.longOffset = info[0].getOffset() + z * (bytes + Math.max(0, info[0].getGap()));
                plane.nImages = 1;
            }
            if (plane != null) {
                checkExtent(file, plane, Files.size(file));
            }
            return plane;
        } catch (ImageFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(file, Format.TIFF, String.valueOf(e.getMessage()), e);
        }
    }

    static void checkPlane(Path file, int z, int n) {
        if (z < 0 || z >= n) {
            throw new ImageFileException(file, "Cannot take plane " + z + " of " + file + ": it has " + n
                    + (n == 1 ? " plane" : " planes") + " (0 to " + (n - 1) + ").");
        }
    }

    private static ImagePlus openTiff(Path file) throws IOException {
        FileInfo[] info = tiffInfo(file);
        long size = Files.size(file);
        long pixels = 0;
        long sourceBytes = 0;
        for (FileInfo fi : info) {
            checkExtent(file, fi, size);
            long n = MemoryCheck.pixels(fi.width, fi.height, Math.max(1, fi.nImages));
            pixels = MemoryCheck.sum(pixels, n);
            sourceBytes = MemoryCheck.sum(sourceBytes, MemoryCheck.bytes(n, Math.max(1, fi.getBytesPerPixel())));
        }
        // ImageJ's pixels plus the 32-bit copy every command makes.
        MemoryCheck.require(MemoryCheck.sum(sourceBytes, MemoryCheck.bytes(pixels, 4)), "reading " + file + " ("
                + info[0].width + " x " + info[0].height + " x " + Math.max(Math.max(1, info[0].nImages), info.length)
                + " pixels)", file);
        ImagePlus imp;
        if (info.length > 1) {
            imp = new Opener().openTiffStack(info);
        } else {
            imp = new FileOpener(info[0]).openImage();
        }
        return imp;
    }

    /**
     * Walks the TIFF's chain of image directories before ij.jar does: ij.jar loops forever on a
     * chain that points back into itself and reads far past the end on a directory that does not
     * fit in the file (both found by fuzzing). Refuses those as damaged files.
     */
    private static void checkIfdChain(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8);
            ch.read(head, 0);
            java.nio.ByteOrder order = head.get(0) == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN;
            head.order(order);
            long offset = head.getInt(4) & 0xffffffffL;
            java.util.Set<Long> seen = new java.util.HashSet<>();
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4).order(order);
            while (offset != 0) {
                if (!seen.add(offset) || seen.size() > 1_000_000) {
                    throw damaged(file, Format.TIFF, "its image directories form a loop", null);
                }
                if (offset < 8 || offset + 2 > size) {
                    throw damaged(file, Format.TIFF, "an image directory starts at byte " + offset + ", beyond the "
                            + size + " bytes of the file", null);
                }
                buf.clear().limit(2);
                ch.read(buf, offset);
                int entries = buf.getShort(0) & 0xffff;
                long next = offset + 2 + 12L * entries;
                if (entries == 0 || next + 4 > size) {
                    throw damaged(file, Format.TIFF, "an image directory of " + entries + " entries does not fit in "
                            + "the file", null);
                }
                java.nio.ByteBuffer table = java.nio.ByteBuffer.allocate(12 * entries).order(order);
                ch.read(table, offset + 2);
                for (int e = 0; e < entries; e++) {
                    int type = table.getShort(12 * e + 2) & 0xffff;
                    long count = table.getInt(12 * e + 4) & 0xffffffffL;
                    int unit = switch (type) {
                        case 1, 2, 6, 7 -> 1;
                        case 3, 8 -> 2;
                        case 4, 9, 11, 13 -> 4;
                        case 5, 10, 12 -> 8;
                        default -> 1;
                    };
                    long bytes = count * unit;
                    long at = table.getInt(12 * e + 8) & 0xffffffffL;
                    if (bytes > 4 && at + bytes > size) {
                        throw damaged(file, Format.TIFF, "tag " + (table.getShort(12 * e) & 0xffff) + " claims " + count
                                + " values, beyond the end of the file", null);
                    }
                }
                buf.clear().limit(4);
                ch.read(buf, next);
                offset = buf.getInt(0) & 0xffffffffL;
            }
        }
    }

    /** ij.jar silently pads missing pixels with zeros: check that the pixel data fit in the file. */
    private static void checkExtent(Path file, FileInfo fi, long size) {
        if (fi.width < 1 || fi.height < 1) {
            throw damaged(file, Format.TIFF, "its header gives a size of " + fi.width + " x " + fi.height, null);
        }
        long end = 0;
        if (fi.stripOffsets != null && fi.stripLengths != null) {
            for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++) {
                long off = fi.stripOffsets[i] & 0xffffffffL;
                end = Math.max(end, off + (fi.stripLengths[i] & 0xffffffffL));
            }
        }
        if (fi.compression == FileInfo.COMPRESSION_NONE) {
            int bpp = switch (fi.fileType) {
                case FileInfo.GRAY8 -> 1;
                case FileInfo.GRAY16_SIGNED, FileInfo.GRAY16_UNSIGNED -> 2;
                case FileInfo.GRAY32_FLOAT, FileInfo.GRAY32_INT, FileInfo.GRAY32_UNSIGNED, FileInfo.ARGB -> 4;
                case FileInfo.RGB, FileInfo.RGB_PLANAR -> 3;
                case FileInfo.RGB48, FileInfo.RGB48_PLANAR -> 6;
                case FileInfo.GRAY64_FLOAT -> 8;
                default -> 0;
            };
            if (bpp > 0) {
                long plane = (long) fi.width * fi.height * bpp;
                long n = Math.max(1, fi.nImages);
                end = Math.max(end, fi.getOffset() + n * plane + (n - 1) * Math.max(0, fi.getGap()));
            }
        }
        if (end > size) {
            throw damaged(file, Format.TIFF, "its pixel data need " + end + " bytes but the file has only " + size,
                    null);
        }
    }

    private static ImagePlus openImageIO(Path file, Format format) throws IOException {
        List<String> warnings = new ArrayList<>();
        BufferedImage bi;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw damaged(file, format, "no decoder recognises its content", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                reader.setInput(in, true, true);
                long pixels = MemoryCheck.pixels(reader.getWidth(0), reader.getHeight(0));
                // The decoded image (up to 8 bytes a pixel), ImageJ's copy and the 32-bit copy.
                MemoryCheck.require(MemoryCheck.bytes(pixels, 16), "reading " + file + " (" + reader.getWidth(0)
                        + " x " + reader.getHeight(0) + " pixels)", file);
                bi = reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        if (!warnings.isEmpty()) {
            throw damaged(file, format, String.join("; ", warnings), null);
        }
        if (bi == null) {
            return null;
        }
        String title = file.getFileName().toString();
        int type = bi.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            return new ImagePlus(title, new ByteProcessor(bi));
        }
        if (type == BufferedImage.TYPE_USHORT_GRAY) {
            return new ImagePlus(title, new ShortProcessor(bi));
        }
        if (bi.getColorModel().getNumComponents() == 1 && bi.getRaster().getNumBands() == 1
                && bi.getColorModel().getComponentSize(0) == 16) {
            return new ImagePlus(title, new ShortProcessor(bi));
        }
        int[] sizes = bi.getColorModel().getComponentSize();
        if (Arrays.stream(sizes).anyMatch(b -> b > 8)) {
            throw new ImageFileException(file, file + " has " + bi.getRaster().getNumBands() + " bands of "
                    + Arrays.stream(sizes).max().getAsInt() + " bits (colour or gray with alpha); only 8-bit colour "
                    + "is read, to avoid losing precision. Save it from Fiji as a grayscale TIFF or split the "
                    + "channels (Image > Color > Split Channels).");
        }
        // Palettes, alpha, RGB (8 bits per component): go through ImageJ's colour handling.
        return new ImagePlus(title, new ColorProcessor(bi));
    }

    /** An 8-bit copy of an RGB image whose R, G and B are equal everywhere, else null. */
    private static ImagePlus grayIfChannelsEqual(ImagePlus rgb) {
        ImageStack in = rgb.getStack();
        ImageStack out = new ImageStack(rgb.getWidth(), rgb.getHeight());
        for (int s = 1; s <= in.getSize(); s++) {
            int[] p = (int[]) in.getPixels(s);
            byte[] g = new byte[p.length];
            for (int i = 0; i < p.length; i++) {
                int r = (p[i] >> 16) & 0xff;
                if (r != ((p[i] >> 8) & 0xff) || r != (p[i] & 0xff)) {
                    return null;
                }
                g[i] = (byte) r;
            }
            out.addSlice(in.getSliceLabel(s), g);
        }
        ImagePlus imp = new ImagePlus(rgb.getTitle(), out);
        imp.setDimensions(rgb.getNChannels(), rgb.getNSlices(), rgb.getNFrames());
        imp.setCalibration(rgb.getCalibration().copy());
        return imp;
    }

    // ----------------------------------------------------------------------------------- checks

    /**
     * Throws an {@link ImageFileException} (an IllegalArgumentException) naming {@code what}, the number of NaN or infinite
     * pixels and the position of the first one, if there is any.
     */
    public static void checkFinite(RandomAccessibleInterval<? extends RealType<?>> img, String what) {
        float[] data = FloatImages.data(img);
        long count = 0;
        int first = -1;
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                if (first < 0) {
                    first = i;
                }
                count++;
            }
        }
        if (count > 0) {
            long[] pos = new long[img.numDimensions()];
            long rest = first;
            for (int d = 0; d < pos.length; d++) {
                long dim = img.dimension(d);
                pos[d] = rest % dim + img.min(d);
                rest /= dim;
            }
            String[] axes = {"x", "y", "z", "c", "t"};
            StringBuilder at = new StringBuilder("(");
            for (int d = 0; d < pos.length; d++) {
                at.append(d > 0 ? ", " : "").append(d < axes.length ? axes[d] : "d" + d).append('=').append(pos[d]);
            }
            at.append(')');
            throw new ImageFileException(null, (what == null ? "image" : what) + " has " + count
                    + " non-finite pixel(s) (NaN or infinity) out of " + data.length + ", the first (" + data[first]
                    + ") at " + at + ". Replace them first, e.g. in Fiji with Process > Noise > Remove NaNs.");
        }
    }

    // ----------------------------------------------------------------------------------- writing

    /**
     * Writes a 2D image or a 3D (x, y, z) stack as a 32-bit float TIFF with the given calibration
     * (null for none), atomically.
     */
    public static void writeTiff(RandomAccessibleInterval<? extends RealType<?>> img, ImageCalibration calibration,
            Path target, WriteOptions options) {
        ImagePlus imp = ImagePlusBridge.toImagePlus(img, target.getFileName().toString(), calibration);
        writeTiff(imp, target, options);
    }

    /**
     * Writes an ImagePlus (any type, stacks and hyperstacks, with its calibration) as an
     * ImageJ TIFF, atomically.
     */
    public static void writeTiff(ImagePlus imp, Path target, WriteOptions options) {
        atomicWrite(target, options, tmp -> {
            byte[] bytes = new FileSaver(imp).serialize();
            if (bytes == null) {
                throw new IOException("ImageJ could not encode the image as TIFF");
            }
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
        });
    }

    /**
     * Writes the 2D 32-bit TIFFs {@code planes} (all {@code width x height}) as one stack TIFF with
     * the given calibration (null for none), atomically, reading one plane at a time: a volume far
     * larger than the memory can be assembled from its slices.
     */
    public static void writeTiffStack(List<Path> planes, int width, int height, ImageCalibration calibration,
            Path target, WriteOptions options) {
        if (planes.isEmpty()) {
            throw new IllegalArgumentException("no planes to write");
        }
        ij.VirtualStack stack = new ij.VirtualStack(width, height, null, "") {
            @Override
            public ij.process.ImageProcessor getProcessor(int n) {
                Img<FloatType> plane = read(planes.get(n - 1)).image();
                if (plane.numDimensions() != 2 || plane.dimension(0) != width || plane.dimension(1) != height) {
                    throw new ImageFileException(planes.get(n - 1), planes.get(n - 1) + " is not a " + width + " x "
                            + height + " image");
                }
                return new ij.process.FloatProcessor(width, height, FloatImages.data(plane));
            }

            @Override
            public int getSize() {
                return planes.size();
            }

            @Override
            public String getSliceLabel(int n) {
                return null;
            }
        };
        stack.setBitDepth(32);
        ImagePlus imp = new ImagePlus(target.getFileName().toString(), stack);
        if (calibration != null) {
            calibration.applyTo(imp);
        }
        ImagePlusBridge.resetDisplayRange(imp); // the whole stack's range (one more pass), as writeTiff of a volume has
        atomicWrite(target, options, tmp -> {
            if (!new FileSaver(imp).saveAsTiffStack(tmp.toString())) {
                throw new IOException("ImageJ could not write the stack");
            }
        });
    }

    /**
     * Writes a 2D image as a grayscale PNG of {@code bitDepth} 8 or 16, mapping {@code scaling}'s
     * low to 0 and high to 255 (or 65535), clipping outside, NaN to 0. Use
     * {@link Scaling#minMax} for a min-max stretch or {@link Scaling#range} for a fixed range.
     */
    public static void writePng(RandomAccessibleInterval<? extends RealType<?>> img, int bitDepth, Scaling scaling,
            Path target, WriteOptions options) {
        if (img.numDimensions() != 2) {
            throw new IllegalArgumentException("PNG holds one 2D image; got " + img.numDimensions()
                    + "D. Write a TIFF for stacks.");
        }
        if (bitDepth != 8 && bitDepth != 16) {
            throw new IllegalArgumentException("PNG bit depth must be 8 or 16, got " + bitDepth);
        }
        int w = Math.toIntExact(img.dimension(0));
        int h = Math.toIntExact(img.dimension(1));
        float[] data = FloatImages.data(img);
        int max = bitDepth == 8 ? 255 : 65535;
        ImagePlus imp;
        if (bitDepth == 8) {
            byte[] p = new byte[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) quantize(data[i], scaling, max);
            }
            imp = new ImagePlus(target.getFileName().toString(), new ByteProcessor(w, h, p));
        } else {
            short[] p = new short[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = (short) quantize(data[i], scaling, max);
            }
            ShortProcessor sp = new ShortProcessor(w, h, p, null);
            sp.setMinAndMax(0, 65535);
            imp = new ImagePlus(target.getFileName().toString(), sp);
        }
        atomicWrite(target, options, tmp -> {
            try {
                new PNG_Writer().writeImage(imp, tmp.toString(), -1);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        });
    }

    /** The PNG code of one value (see {@link #writePng}). */
    static int quantize(float v, Scaling scaling, int max) {
        if (Float.isNaN(v)) {
            return 0;
        }
        double s = scaling.normalize(v);
        if (!(s > 0)) {
            return 0;
        }
        if (s >= 1) {
            return max;
        }
        return (int) Math.round(s * max);
    }

    /** Writes one file's bytes. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path tmp) throws IOException;
    }

    /**
     * Writes through a temporary file in the target's directory, then moves it into place. Checks
     * first that the target is not an input, does not exist (unless overwriting) and that its
     * directory exists and is writable.
     */
    /**
     * The checks {@link #atomicWrite} makes before writing, for commands to run before hours of
     * work rather than after: the target is not an input, not a directory, does not exist unless
     * overwriting, and its directory exists and is writable. Returns the absolute target.
     */
    public static Path checkWritable(Path target, WriteOptions options) {
        Path abs = target.toAbsolutePath().normalize();
        for (Path input : options.inputs()) {
            if (input != null && isSameFile(abs, input)) {
                throw new ImageFileException(target, "Refusing to write the result onto the input file " + target
                        + ". Choose a different output name.");
            }
        }
        if (Files.isDirectory(abs)) {
            throw new ImageFileException(target, "Cannot write " + target + ": it is a directory. Give a file name.");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !options.overwrite()) {
            throw new ImageFileException(target, "Output file " + target + " already exists; not overwriting it. "
                    + "Choose another name, or pass --force (overwrite=true) to replace it.");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ImageFileException(target, "Cannot write " + target + ": " + (dir != null && Files.exists(dir)
                    ? dir + " is a file, not a directory. Choose another output directory."
                    : "the directory " + dir + " does not exist. Create it first or choose another output directory."));
        }
        if (!Files.isWritable(dir)) {
            throw new ImageFileException(target, "Cannot write " + target + ": the directory " + dir
                    + " is not writable (permission denied). Choose another output directory.");
        }
        return abs;
    }

    /** Smallest width and height the commands process. */
    public static final int MIN_SIDE = 4;

    /**
     * Checks that an image can be processed: every pixel finite and at least {@link #MIN_SIDE}
     * pixels wide and high. Throws an {@link ImageFileException} naming {@code what} otherwise.
     */
    public static void checkUsable(RandomAccessibleInterval<? extends RealType<?>> img, String what) {
        if (img.numDimensions() < 2 || img.dimension(0) < MIN_SIDE || img.dimension(1) < MIN_SIDE) {
            throw new ImageFileException(null, (what == null ? "image" : what) + " is " + dimsText(img)
                    + " pixels: too small to process (at least " + MIN_SIDE + " x " + MIN_SIDE + ").");
        }
        checkFinite(img, what);
    }

    private static String dimsText(RandomAccessibleInterval<?> img) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < img.numDimensions(); d++) {
            sb.append(d > 0 ? " x " : "").append(img.dimension(d));
        }
        return sb.toString();
    }

    /**
     * Writes {@code target} atomically: the writer fills a temporary file in the same directory,
     * which is then moved into place (linked, when overwriting is off, so that a file appearing
     * meanwhile is never replaced). Refuses input paths, existing files without overwrite,
     * directories and unwritable places with messages that name the fix.
     */
    public static void atomicWrite(Path target, WriteOptions options, FileWriter writer) {
        Path abs = checkWritable(target, options);
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        String ext = extension(name);
        Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp"
                + (ext.isEmpty() ? "" : "." + ext));
        try {
            Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            writer.write(tmp);
            if (!options.overwrite() && linkedIntoPlace(tmp, abs)) {
                return;
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ImageFileException(target, "Output file " + target + " appeared while it was being written; "
                    + "not overwriting it. Choose another name, or pass --force (overwrite=true) to replace it.", e);
        } catch (AccessDeniedException e) {
            throw new ImageFileException(target, "Cannot write " + target + ": permission denied ("
                    + e.getMessage() + "). Choose another output directory.", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(target, "Cannot write " + target + ": " + e.getMessage()
                    + ". Check the free disk space and the directory's permissions.", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the temporary file is hidden and named after the target
            }
        }
    }

    /**
     * Without overwriting, a hard link puts the finished file in place only if no file of that name
     * exists, closing the gap between the existence check and the move (another process writing
     * the same name). False where the file system has no hard links: then the caller moves.
     */
    private static boolean linkedIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        return true; // the temporary name is removed by the caller
    }

    private static boolean isSameFile(Path a, Path b) {
        Path bAbs = b.toAbsolutePath().normalize();
        if (a.equals(bAbs)) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(bAbs) && Files.isSameFile(a, bAbs);
        } catch (IOException e) {
            return false;
        }
    }

}
