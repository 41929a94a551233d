package io.github.lipschitzpnp.image;

import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The planes of one image file, for work that goes plane by plane (a stack of sinograms, a
 * reference volume): where {@link ImageFiles#readsPlanesAlone} says a TIFF's planes can be read one
 * at a time, only the header is read here and each {@link #plane} reads its own pixels, so a stack
 * far larger than the memory can be processed; other files (PNG, JPEG, a compressed ImageJ stack)
 * are read whole, once, and served from memory.
 */
public final class PlaneReader {

    private final Path file;
    private final int planes;
    private final ImageFiles.LoadedImage whole; // null: read plane by plane

    private PlaneReader(Path file, int planes, ImageFiles.LoadedImage whole) {
        this.file = file;
        this.planes = planes;
        this.whole = whole;
    }

    /** Opens {@code file}: its header only when its planes can be read alone, else the whole image. */
    public static PlaneReader open(Path file) {
        int planes = ImageFiles.planes(file);
        if (ImageFiles.readsPlanesAlone(file)) {
            return new PlaneReader(file, planes, null);
        }
        ImageFiles.LoadedImage all = ImageFiles.read(file);
        int n = all.image().numDimensions() < 3 ? 1 : (int) all.image().dimension(2);
        if (all.image().numDimensions() > 3) {
            throw new ImageFileException(file, file + " is " + all.image().numDimensions() + "D; give a 2D image or a "
                    + "stack of 2D planes (z), one channel and one time point");
        }
        return new PlaneReader(file, n, all);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** How many planes (1 for a 2D image). */
    public int planes() {
        return planes;
    }

    /** Whether each plane is read from the file on demand (false: the image is in memory). */
    public boolean streaming() {
        return whole == null;
    }

    /** Plane {@code z} (0-based) as a 2D image with the file's calibration; a new image each call. */
    public ImageFiles.LoadedImage plane(int z) {
        if (whole == null) {
            return ImageFiles.readPlane(file, z);
        }
        ImageFiles.checkPlane(file, z, planes);
        Img<FloatType> p = whole.image().numDimensions() == 2 ? FloatImages.copy(whole.image())
                : FloatImages.plane(whole.image(), z);
        return new ImageFiles.LoadedImage(p, whole.calibration(), file, whole.format(), whole.bitDepth());
    }
}
