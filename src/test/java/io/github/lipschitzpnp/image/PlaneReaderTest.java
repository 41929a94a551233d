package io.github.lipschitzpnp.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lipschitzpnp.image.ImageFiles.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plane-by-plane reading of stacks and the on-disk parts a stack is assembled from. */
class PlaneReaderTest {

    @TempDir
    Path dir;

    @Test
    void aTiffStackIsReadOnePlaneAtATimeFromTheFile() throws IOException {
        Img<FloatType> stack = FloatImages.wrap(ImageFilesTest.randomFloats(9 * 7 * 5, 8), 9, 7, 5);
        Path f = dir.resolve("stack.tif");
        ImageFiles.writeTiff(stack, new ImageCalibration(0.1, 0.1, 0.5, "um"), f, WriteOptions.noOverwrite());
        PlaneReader r = PlaneReader.open(f);
        assertTrue(r.streaming());
        assertEquals(5, r.planes());
        // the file is read at each call, not held: spoil plane 2 after opening and plane 2 changes, plane 1 not
        byte[] bytes = Files.readAllBytes(f);
        int at = ImageFilesTest.indexOf(bytes, FloatImages.data(FloatImages.plane(stack, 2)));
        Arrays.fill(bytes, at, at + 9 * 7 * 4, (byte) 0);
        Files.write(f, bytes);
        assertArrayEquals(FloatImages.data(FloatImages.plane(stack, 1)), FloatImages.data(r.plane(1).image()));
        assertArrayEquals(new float[9 * 7], FloatImages.data(r.plane(2).image()));
        assertEquals(0.5, r.plane(4).calibration().pixelDepth(), 1e-9);
        ImageFileException e = assertThrows(ImageFileException.class, () -> r.plane(5));
        assertTrue(e.getMessage().contains("5 planes (0 to 4)"), e.getMessage());
    }

    @Test
    void aPngIsReadOnceAndServedAsItsOnePlane() throws IOException {
        Path p = dir.resolve("one.png");
        float[] v = ImageFilesTest.rampPng8(p, 12, 10);
        PlaneReader r = PlaneReader.open(p);
        assertFalse(r.streaming());
        assertEquals(1, r.planes());
        Img<FloatType> first = r.plane(0).image();
        assertArrayEquals(v, FloatImages.data(first));
        first.firstElement().set(-1); // each call hands out its own copy
        assertEquals(0f, r.plane(0).image().firstElement().get());
        assertThrows(ImageFileException.class, () -> r.plane(1));
    }

    @Test
    void partsAreAssembledIntoTheTargetAndLeaveNothingBehind() throws IOException {
        Img<FloatType> stack = FloatImages.wrap(ImageFilesTest.randomFloats(8 * 6 * 3, 9), 8, 6, 3);
        Path target = dir.resolve("out.tif");
        PlaneParts parts = PlaneParts.of(target);
        assertEquals(dir.resolve(".out.tif.parts"), parts.folder());
        // what a killed run left is removed by reset
        Files.createDirectories(parts.folder());
        Files.writeString(parts.folder().resolve("plane000007.tif"), "stale");
        parts.reset();
        try (var s = Files.list(parts.folder())) {
            assertEquals(0, s.count());
        }
        for (int z = 2; z >= 0; z--) { // any order
            assertEquals(parts.path(z), parts.write(z, FloatImages.plane(stack, z)));
        }
        assertFalse(Files.exists(target), "the target is untouched until assembled");
        parts.assemble(3, 8, 6, new ImageCalibration(1, 1, 2, "um"), WriteOptions.noOverwrite());
        ImageFiles.LoadedImage back = ImageFiles.read(target);
        assertArrayEquals(FloatImages.data(stack), FloatImages.data(back.image()));
        assertEquals(2, back.calibration().pixelDepth(), 1e-9);
        // its display range is the whole stack's, as when a volume is written at once (not the first plane's)
        ij.ImagePlus shown = new ij.io.Opener().openImage(target.toString());
        float[] v = FloatImages.data(stack);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        assertEquals(lo, shown.getDisplayRangeMin(), 1e-6);
        assertEquals(hi, shown.getDisplayRangeMax(), 1e-6);
        parts.delete();
        assertFalse(Files.exists(parts.folder()));
        parts.deleteQuietly(); // nothing to delete is no error
        // a missing plane fails the assembly and leaves the target as it was
        parts.reset();
        parts.write(0, FloatImages.plane(stack, 0));
        assertThrows(RuntimeException.class, () -> parts.assemble(2, 8, 6, null, WriteOptions.overwriting()));
        assertArrayEquals(FloatImages.data(stack), FloatImages.data(ImageFiles.read(target).image()));
        parts.delete();
    }
}
