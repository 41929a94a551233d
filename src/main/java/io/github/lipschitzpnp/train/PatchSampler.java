package io.github.lipschitzpnp.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random square patches from a set of 2D grayscale images scaled to [0, 1], with random flips
 * and 90-degree rotations (the eight symmetries of the square). Deterministic for a given seed.
 */
public final class PatchSampler {

    /** A 2D image as a flat array, x fastest. */
    public record Image2D(float[] data, int width, int height) {
        public Image2D {
            if (data.length != width * height) {
                throw new IllegalArgumentException("data length " + data.length + " != " + width + " x " + height);
            }
        }
    }

    private final List<Image2D> images;
    private final int patch;
    private final SplittableRandom random;
    private final long[] cumulativeArea;

    /**
     * @param images training images (at least one at least {@code patch} pixels on each side)
     * @param patch  patch side in pixels
     * @param seed   random seed
     */
    public PatchSampler(List<Image2D> images, int patch, long seed) {
        if (patch < 1) {
            throw new IllegalArgumentException("patch size must be positive");
        }
        this.images = new ArrayList<>();
        for (Image2D im : images) {
            if (im.width() >= patch && im.height() >= patch) {
                this.images.add(im);
            }
        }
        if (this.images.isEmpty()) {
            throw new IllegalArgumentException("no training image is at least " + patch + " x " + patch
                    + " pixels: add larger images or use a smaller --patch");
        }
        this.patch = patch;
        this.random = new SplittableRandom(seed);
        cumulativeArea = new long[this.images.size()];
        long total = 0;
        for (int i = 0; i < this.images.size(); i++) {
            Image2D im = this.images.get(i);
            total += (long) (im.width() - patch + 1) * (im.height() - patch + 1);
            cumulativeArea[i] = total;
        }
    }

    private double contrastMin = 1.0;

    /**
     * Random contrast: each patch becomes {@code a x + b} with {@code a} log-uniform in
     * {@code [min, 1]} and {@code b} uniform in {@code [0, 1 - a]}, so [0, 1] maps into [0, 1]. The
     * denoiser then meets low-contrast content (smooth microscopy and CT backgrounds) as often as the
     * photographs' full range. {@code min = 1} (default) leaves patches as they are and draws nothing.
     */
    public PatchSampler contrast(double min) {
        this.contrastMin = requireContrast(min);
        return this;
    }

    /** {@code min} when it is a valid smallest contrast factor, in (0, 1]. */
    static double requireContrast(double min) {
        if (!(min > 0 && min <= 1)) {
            throw new IllegalArgumentException("the smallest contrast factor must lie in (0, 1], got " + min);
        }
        return min;
    }

    private double zoomMax = 1.0;

    /**
     * Random zoom: each patch is cut from a window {@code z} times smaller and enlarged by bilinear
     * interpolation, {@code z} log-uniform in {@code [1, max]}, so the denoiser also meets smooth,
     * oversampled content (as in microscopy). {@code max = 1} (default) draws nothing.
     */
    public PatchSampler zoom(double max) {
        this.zoomMax = requireZoom(max);
        return this;
    }

    /** {@code max} when it is a valid largest zoom, in [1, 8]. */
    static double requireZoom(double max) {
        if (!(max >= 1 && max <= 8)) {
            throw new IllegalArgumentException("the largest zoom must lie in [1, 8], got " + max);
        }
        return max;
    }

    public int patchSize() {
        return patch;
    }

    /**
     * Fills {@code out} (length {@code batch * patch * patch}) with a batch of patches, each from an
     * image chosen with probability proportional to its number of patch positions.
     */
    public void nextBatch(float[] out, int batch) {
        int pp = patch * patch;
        if (out.length < batch * pp) {
            throw new IllegalArgumentException("output too small for " + batch + " patches");
        }
        for (int b = 0; b < batch; b++) {
            long r = random.nextLong(cumulativeArea[cumulativeArea.length - 1]);
            int idx = 0;
            while (cumulativeArea[idx] <= r) {
                idx++;
            }
            Image2D im = images.get(idx);
            int x0 = random.nextInt(im.width() - patch + 1);
            int y0 = random.nextInt(im.height() - patch + 1);
            int symmetry = random.nextInt(8);
            if (zoomMax > 1) {
                double z = Math.exp(Math.log(zoomMax) * random.nextDouble());
                double side = (patch - 1) / z;
                double sx = x0 + (patch - 1 - side) * random.nextDouble();
                double sy = y0 + (patch - 1 - side) * random.nextDouble();
                zoomedPatch(im, sx, sy, side / (patch - 1), symmetry, out, b * pp);
            } else {
                copyPatch(im, x0, y0, symmetry, out, b * pp);
            }
            if (contrastMin < 1) {
                double a = Math.exp(Math.log(contrastMin) * random.nextDouble());
                double off = (1 - a) * random.nextDouble();
                for (int i = b * pp; i < (b + 1) * pp; i++) {
                    out[i] = (float) (a * out[i] + off);
                }
            }
        }
    }

    /** Bilinear samples at {@code (sx + step i, sy + step j)} inside the image, then the symmetry. */
    private void zoomedPatch(Image2D im, double sx, double sy, double step, int symmetry, float[] out, int offset) {
        float[] tmp = new float[patch * patch];
        float[] src = im.data();
        int w = im.width();
        int h = im.height();
        for (int j = 0; j < patch; j++) {
            double y = Math.min(sy + step * j, h - 1);
            int y0 = Math.min((int) y, h - 2 < 0 ? 0 : h - 2);
            double fy = y - y0;
            int y1 = Math.min(y0 + 1, h - 1);
            for (int i = 0; i < patch; i++) {
                double x = Math.min(sx + step * i, w - 1);
                int x0 = Math.min((int) x, w - 2 < 0 ? 0 : w - 2);
                double fx = x - x0;
                int x1 = Math.min(x0 + 1, w - 1);
                double top = (1 - fx) * src[y0 * w + x0] + fx * src[y0 * w + x1];
                double bottom = (1 - fx) * src[y1 * w + x0] + fx * src[y1 * w + x1];
                tmp[j * patch + i] = (float) ((1 - fy) * top + fy * bottom);
            }
        }
        copyPatch(new Image2D(tmp, patch, patch), 0, 0, symmetry, out, offset);
    }

    private void copyPatch(Image2D im, int x0, int y0, int symmetry, float[] out, int offset) {
        boolean transpose = (symmetry & 4) != 0;
        boolean flipX = (symmetry & 1) != 0;
        boolean flipY = (symmetry & 2) != 0;
        float[] src = im.data();
        int w = im.width();
        for (int y = 0; y < patch; y++) {
            for (int x = 0; x < patch; x++) {
                int sx = transpose ? y : x;
                int sy = transpose ? x : y;
                if (flipX) {
                    sx = patch - 1 - sx;
                }
                if (flipY) {
                    sy = patch - 1 - sy;
                }
                out[offset + y * patch + x] = src[(y0 + sy) * w + x0 + sx];
            }
        }
    }
}
