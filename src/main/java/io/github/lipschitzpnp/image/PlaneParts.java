package io.github.lipschitzpnp.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The planes of a stack being computed one at a time, kept on disk until all are done: a hidden
 * folder {@code .<name>.parts} next to the target holds one 32-bit TIFF per plane, and
 * {@link #assemble} writes the target from them one plane at a time (atomically), so neither the
 * work nor the writing holds the volume in memory. Until then the target is untouched; a killed
 * run leaves only the hidden folder, which the next {@link #reset} of the same target removes.
 */
public final class PlaneParts {

    private final Path target;
    private final Path folder;

    private PlaneParts(Path target) {
        this.target = target;
        this.folder = target.resolveSibling("." + target.getFileName() + ".parts");
    }

    /** The parts of {@code target} (nothing is created until {@link #reset} or {@link #write}). */
    public static PlaneParts of(Path target) {
        return new PlaneParts(target);
    }

    /** The hidden folder. */
    public Path folder() {
        return folder;
    }

    /** The file of plane {@code z}. */
    public Path path(int z) {
        return folder.resolve(String.format(Locale.ROOT, "plane%06d.tif", z));
    }

    /** Removes what an earlier run left and creates the empty folder. */
    public void reset() throws IOException {
        delete();
        Files.createDirectories(folder);
    }

    /** Writes plane {@code z} (2D), replacing an earlier one; returns its file. */
    public Path write(int z, RandomAccessibleInterval<FloatType> plane) {
        Path p = path(z);
        ImageFiles.writeTiff(plane, null, p, ImageFiles.WriteOptions.overwriting());
        return p;
    }

    /**
     * Writes planes 0 to {@code planes - 1} (each {@code width x height}) as the target stack with
     * {@code calibration} (null for none), atomically, reading one plane at a time.
     */
    public void assemble(int planes, int width, int height, ImageCalibration calibration,
            ImageFiles.WriteOptions options) {
        List<Path> files = new ArrayList<>(planes);
        for (int z = 0; z < planes; z++) {
            files.add(path(z));
        }
        ImageFiles.writeTiffStack(files, width, height, calibration, target, options);
    }

    /** Removes the folder and its planes (nothing when there is none). */
    public void delete() throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(folder);
    }

    /** {@link #delete} that keeps quiet: what it cannot remove, the next reset of the target does. */
    public void deleteQuietly() {
        try {
            delete();
        } catch (IOException ignored) {
            // hidden and named after the target: the next run removes it
        }
    }
}
