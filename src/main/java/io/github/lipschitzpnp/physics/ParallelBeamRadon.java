package io.github.lipschitzpnp.physics;

import java.util.Arrays;
import java.util.stream.IntStream;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * 2D parallel-beam Radon transform (sparse-view CT), pixel-driven with linear interpolation on the
 * detector.
 *
 * <p>Geometry. The image is N x N (dims {N, N}, x = column index i fastest, y = row index j). Pixel
 * (i, j) sits at {@code x = i - (N-1)/2}, {@code y = (N-1)/2 - j} (y up, as the image is displayed), in
 * pixel units. For angle theta (degrees, counter-clockwise from the x axis) it projects to the detector
 * coordinate {@code t = x cos(theta) + y sin(theta)}, i.e. detector bin {@code u = t + (D-1)/2}
 * (bins of one pixel width, bin centres at integer u). For odd N and D this matches scikit-image's
 * radon/iradon convention (theta = 0 projects the columns, sinogram rows = detector bins).
 *
 * <p>Data: the sinogram has dims {D, angles}: x (fastest) = detector bin, y = angle, in the order the
 * angles were given (any order, repeats allowed). Values are line integrals in pixel units.
 *
 * <p>Discretisation and adjoint. Each pixel value is split between bins floor(u) and floor(u)+1 with
 * weights 1-f and f (f = u - floor(u)); weights falling outside the detector are dropped. The adjoint
 * (back-projection) gathers with exactly the same weights, computed by the same arithmetic, so
 * {@code <A x, y> = <x, A^T y>} holds up to float rounding. Forward is parallel over angles, adjoint
 * over image rows.
 */
public final class ParallelBeamRadon implements LinearOperator {

    private final int size;
    private final int detectors;
    private final double[] anglesDeg;
    private final double[] cos;
    private final double[] sin;
    private final long[] domain;
    private final long[] range;
    private volatile double normCache = -1;

    /**
     * @param size N, the image is N x N
     * @param anglesDeg projection angles in degrees, any order, finite
     * @param detectors D, the number of detector bins (N for objects inside the inscribed circle,
     *        {@link #fullDetectorCount(int)} to cover the whole square)
     */
    public ParallelBeamRadon(int size, double[] anglesDeg, int detectors) {
        if (size < 1) {
            throw new IllegalArgumentException("radon: image size must be at least 1, got " + size);
        }
        if (detectors < 1) {
            throw new IllegalArgumentException("radon: detector count must be at least 1, got " + detectors);
        }
        if (anglesDeg == null || anglesDeg.length == 0) {
            throw new IllegalArgumentException("radon: at least one angle is needed");
        }
        for (int a = 0; a < anglesDeg.length; a++) {
            if (!Double.isFinite(anglesDeg[a])) {
                throw new IllegalArgumentException("radon: angle " + a + " is " + anglesDeg[a]
                        + "; angles must be finite numbers in degrees");
            }
        }
        this.size = size;
        this.detectors = detectors;
        this.anglesDeg = anglesDeg.clone();
        this.cos = new double[anglesDeg.length];
        this.sin = new double[anglesDeg.length];
        for (int a = 0; a < anglesDeg.length; a++) {
            double r = Math.toRadians(anglesDeg[a]);
            cos[a] = Math.cos(r);
            sin[a] = Math.sin(r);
        }
        this.domain = new long[] {size, size};
        this.range = new long[] {detectors, anglesDeg.length};
        Dims.count(range, "radon");
        Dims.count(domain, "radon");
    }

    /** {@code count} angles evenly spaced in [0, 180) degrees. */
    public static double[] uniformAngles(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one angle is needed, got " + count);
        }
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = 180.0 * i / count;
        }
        return a;
    }

    /** Detector bins covering the whole N x N square at every angle: ceil(N sqrt 2), with D - N even. */
    public static int fullDetectorCount(int size) {
        int d = (int) Math.ceil(size * Math.sqrt(2));
        return (d - size) % 2 == 0 ? d : d + 1;
    }

    public int size() {
        return size;
    }

    public int detectors() {
        return detectors;
    }

    /** The angles in degrees, in sinogram order. */
    public double[] anglesDegrees() {
        return anglesDeg.clone();
    }

    @Override
    public long[] domainDimensions() {
        return domain.clone();
    }

    @Override
    public long[] rangeDimensions() {
        return range.clone();
    }

    /** Detector coordinate u of pixel (0, j) at angle a; u of pixel (i, j) is this + i cos(a). */
    private double rowStart(int a, int j) {
        double h = (size - 1) / 2.0;
        return -h * cos[a] + (h - j) * sin[a] + (detectors - 1) / 2.0;
    }

    @Override
    public Img<FloatType> apply(RandomAccessibleInterval<FloatType> x) {
        Dims.require(x, domain, "image", describe());
        float[] img = FloatImages.data(x);
        float[] sino = new float[detectors * anglesDeg.length];
        IntStream.range(0, anglesDeg.length).parallel().forEach(a -> project(img, sino, a));
        return FloatImages.wrap(sino, range);
    }

    private void project(float[] img, float[] sino, int a) {
        int off = a * detectors;
        int dmax = detectors - 1;
        double c = cos[a];
        for (int j = 0; j < size; j++) {
            double u0 = rowStart(a, j);
            int row = j * size;
            for (int i = 0; i < size; i++) {
                double u = u0 + i * c;
                double fl = Math.floor(u);
                int b = (int) fl;
                float f = (float) (u - fl);
                float v = img[row + i];
                if (b >= 0 && b <= dmax) {
                    sino[off + b] += (1 - f) * v;
                }
                if (b >= -1 && b < dmax) {
                    sino[off + b + 1] += f * v;
                }
            }
        }
    }

    @Override
    public Img<FloatType> adjoint(RandomAccessibleInterval<FloatType> y) {
        Dims.require(y, range, "sinogram", describe() + " adjoint (dims {detectors, angles})");
        float[] sino = FloatImages.data(y);
        float[] img = new float[size * size];
        IntStream.range(0, size).parallel().forEach(j -> backprojectRow(sino, img, j));
        return FloatImages.wrap(img, domain);
    }

    private void backprojectRow(float[] sino, float[] img, int j) {
        int dmax = detectors - 1;
        int row = j * size;
        for (int a = 0; a < anglesDeg.length; a++) {
            int off = a * detectors;
            double c = cos[a];
            double u0 = rowStart(a, j);
            for (int i = 0; i < size; i++) {
                double u = u0 + i * c;
                double fl = Math.floor(u);
                int b = (int) fl;
                float f = (float) (u - fl);
                float s = 0;
                if (b >= 0 && b <= dmax) {
                    s += (1 - f) * sino[off + b];
                }
                if (b >= -1 && b < dmax) {
                    s += f * sino[off + b + 1];
                }
                img[row + i] += s;
            }
        }
    }

    /** Converged power-iteration estimate (a lower bound), computed once on first call. */
    @Override
    public double norm() {
        double v = normCache;
        if (v < 0) {
            v = PowerIteration.run(this, 200, 12345L, 1e-6).norm();
            normCache = v;
        }
        return v;
    }

    @Override
    public String describe() {
        return "parallel-beam Radon " + size + "x" + size + ", " + anglesDeg.length + " angles, " + detectors
                + " detectors";
    }

    @Override
    public String toString() {
        return describe() + " " + Arrays.toString(anglesDeg);
    }
}
