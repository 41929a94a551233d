package io.github.lipschitzpnp.image;

import ij.ImagePlus;
import ij.measure.Calibration;

/**
 * The spatial calibration of an image: the size of one pixel (voxel) along x, y and z, in
 * {@code unit}. Uncalibrated images have 1 x 1 x 1 "pixel".
 */
public record ImageCalibration(double pixelWidth, double pixelHeight, double pixelDepth, String unit) {

    /** The calibration of an uncalibrated image. */
    public static final ImageCalibration NONE = new ImageCalibration(1, 1, 1, "pixel");

    public ImageCalibration {
        if (!(pixelWidth > 0) || !(pixelHeight > 0) || !(pixelDepth > 0)
                || Double.isInfinite(pixelWidth) || Double.isInfinite(pixelHeight) || Double.isInfinite(pixelDepth)) {
            throw new IllegalArgumentException("pixel sizes must be positive and finite, got " + pixelWidth + " x "
                    + pixelHeight + " x " + pixelDepth);
        }
        if (unit == null || unit.isBlank()) {
            unit = "pixel";
        }
    }

    /** The calibration of an ImageJ image (x, y, z sizes and the x unit). */
    public static ImageCalibration of(ImagePlus imp) {
        return of(imp.getCalibration());
    }

    /** Reads an ImageJ calibration; non-positive or non-finite sizes count as 1. */
    public static ImageCalibration of(Calibration cal) {
        if (cal == null) {
            return NONE;
        }
        return new ImageCalibration(sane(cal.pixelWidth), sane(cal.pixelHeight), sane(cal.pixelDepth), cal.getUnit());
    }

    private static double sane(double v) {
        return v > 0 && !Double.isInfinite(v) ? v : 1;
    }

    /** True when the image carries a physical unit (not just "pixel"). */
    public boolean isCalibrated() {
        return !(unit.equals("pixel") || unit.equals("pixels"));
    }

    /** Writes this calibration into an ImageJ calibration (other fields are kept). */
    public void applyTo(Calibration cal) {
        cal.pixelWidth = pixelWidth;
        cal.pixelHeight = pixelHeight;
        cal.pixelDepth = pixelDepth;
        cal.setUnit(unit);
    }

    /** Writes this calibration into the image's calibration. */
    public void applyTo(ImagePlus imp) {
        Calibration cal = imp.getCalibration();
        applyTo(cal);
        imp.setCalibration(cal);
    }
}
