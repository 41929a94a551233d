package io.github.lipschitzpnp.image;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Refuses work that cannot fit in the Java heap before anything is allocated, with a message
 * that gives the memory needed and the {@code -Xmx} to use, instead of an OutOfMemoryError
 * minutes (or hours) later. Estimates are deliberately simple upper-ish bounds: bytes per pixel
 * times the number of copies the step holds at once.
 */
public final class MemoryCheck {

    private static final double GB = 1024.0 * 1024 * 1024;

    private MemoryCheck() {
    }

    /** Bytes this JVM may still allocate: the maximum heap minus what is in use now. */
    public static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Throws an {@link ImageFileException} (bad input: exit code 2 on the command line, a message
     * in Fiji) when {@code bytes} exceeds what the heap can still hold.
     *
     * @param bytes estimated bytes needed
     * @param what  what needs them, e.g. "reading big.tif (4096 x 4096 x 2000 pixels)"
     * @param file  the file concerned, or null
     */
    public static void require(long bytes, String what, Path file) {
        long free = available();
        if (bytes <= free && bytes >= 0) {
            return;
        }
        Runtime r = Runtime.getRuntime();
        long inUse = r.totalMemory() - r.freeMemory();
        double need = bytes < 0 ? Double.POSITIVE_INFINITY : bytes;
        long xmx = (long) Math.ceil((inUse + need) * 1.25 / GB);
        String fix = Double.isInfinite(need) || xmx > 1L << 20 ? "crop or split the image"
                : String.format(Locale.ROOT, "give Java more memory: -Xmx%dg (./lpnp: LPNP_JAVA_OPTS=-Xmx%dg; "
                        + "Fiji: Edit > Options > Memory & Threads), or crop or split the image", xmx, xmx);
        throw new ImageFileException(file, String.format(Locale.ROOT, "Not enough memory: %s needs about %s, but "
                + "this Java process may use only %s more (maximum heap %s). Nothing was allocated; %s.", what,
                size(need), size(free), size(r.maxMemory()), fix));
    }

    /** Pixel count times bytes per pixel, saturating at Long.MAX_VALUE instead of overflowing. */
    public static long bytes(long pixels, long bytesPerPixel) {
        try {
            return Math.multiplyExact(pixels, bytesPerPixel);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Sum of two non-negative byte or pixel counts, saturating at Long.MAX_VALUE. */
    public static long sum(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }

    /** Product of the dimensions, saturating at Long.MAX_VALUE. */
    public static long pixels(long... dims) {
        long n = 1;
        for (long d : dims) {
            try {
                n = Math.multiplyExact(n, Math.max(0, d));
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    /** "3.2 GB" or "120 MB". */
    public static String size(double bytes) {
        if (Double.isInfinite(bytes) || bytes >= Long.MAX_VALUE / 2.0) {
            return "more than any heap";
        }
        if (bytes >= GB) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / GB);
        }
        return String.format(Locale.ROOT, "%.0f MB", Math.ceil(bytes / (1024.0 * 1024)));
    }
}
