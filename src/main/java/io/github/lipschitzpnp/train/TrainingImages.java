package io.github.lipschitzpnp.train;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Scaling;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Clean training images for {@link PatchSampler}: each 2D image scaled to [0, 1] by its own min and max. */
public final class TrainingImages {

    private TrainingImages() {
    }

    /** One 2D image, scaled to [0, 1]. */
    public static PatchSampler.Image2D of(RandomAccessibleInterval<FloatType> plane) {
        if (plane.numDimensions() != 2) {
            throw new IllegalArgumentException("training images are 2D; got " + plane.numDimensions() + "D");
        }
        Img<FloatType> scaled = Scaling.minMax(plane).normalize(plane);
        return new PatchSampler.Image2D(FloatImages.copyData(scaled), (int) plane.dimension(0), (int) plane.dimension(1));
    }

    /**
     * Every 2D TIFF or PNG (or JPEG) of a folder, sorted by name, each scaled to [0, 1]. Stacks are
     * skipped; an unreadable file is an {@link io.github.lipschitzpnp.image.ImageFileException}.
     */
    public static List<PatchSampler.Image2D> fromFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder: give a folder of TIFF or PNG images");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(tif|tiff|png|jpg|jpeg)$")).sorted().toList();
        }
        return fromFolder(dir, files, io.github.lipschitzpnp.image.ImageFiles.MIN_SIDE);
    }

    /**
     * {@link #fromFolder(Path)} requiring every image to be at least {@code minSide} pixels wide
     * and high (the patch size) and finite; stacks are skipped, and named when nothing else is left.
     */
    public static List<PatchSampler.Image2D> fromFolder(Path dir, int minSide) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder: give a folder of TIFF or PNG images");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(tif|tiff|png|jpg|jpeg)$")).sorted().toList();
        }
        return fromFolder(dir, files, minSide);
    }

    private static List<PatchSampler.Image2D> fromFolder(Path dir, List<Path> files, int minSide) {
        List<PatchSampler.Image2D> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path f : files) {
            Img<FloatType> img = ImageFiles.read(f).image();
            if (img.numDimensions() != 2) {
                skipped.add(f.getFileName() + " (" + img.numDimensions() + "D)");
                continue;
            }
            ImageFiles.checkFinite(img, "training image " + f);
            if (img.dimension(0) < minSide || img.dimension(1) < minSide) {
                throw new IllegalArgumentException("training image " + f + " is " + img.dimension(0) + " x "
                        + img.dimension(1) + " pixels: too small for patches of " + minSide + " x " + minSide
                        + " (remove it or lower --patch)");
            }
            out.add(of(img));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no 2D TIFF or PNG image in " + dir
                    + (skipped.isEmpty() ? "" : "; skipped stacks: " + String.join(", ", skipped)
                    + " (training uses 2D images: save the planes as separate files)"));
        }
        return out;
    }

    /** Training and validation images. */
    public record Split(List<PatchSampler.Image2D> training, List<PatchSampler.Image2D> validation) {
    }

    /**
     * The split {@code lpnp train} uses without {@code --validation}: every 6th image (by position,
     * i.e. sorted by name) is held out, or the last one when there are fewer than 6.
     */
    public static Split split(List<PatchSampler.Image2D> all) {
        if (all.size() < 2) {
            throw new IllegalArgumentException("need at least 2 images to hold one out for validation");
        }
        List<PatchSampler.Image2D> train = new java.util.ArrayList<>();
        List<PatchSampler.Image2D> val = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 6 == 5 || (all.size() < 6 && i == all.size() - 1) ? val : train).add(all.get(i));
        }
        return new Split(train, val);
    }
}
