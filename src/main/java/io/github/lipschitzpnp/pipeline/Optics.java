package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.physics.Psf;
import java.util.Locale;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A widefield microscope's optics, and the PSF it generates on an image's pixel grid. Lengths in
 * nanometres.
 *
 * @param model           "Born & Wolf" or "Gaussian"
 * @param na              numerical aperture
 * @param wavelengthNm    emission wavelength (nm)
 * @param refractiveIndex immersion refractive index
 */
public record Optics(Model model, double na, double wavelengthNm, double refractiveIndex) {

    /** The PSF model. */
    public enum Model {
        BORN_WOLF("Born & Wolf"), GAUSSIAN("Gaussian");

        private final String label;

        Model(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** By label ("Born & Wolf", "Gaussian") or name, any case. */
        public static Model parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (Model m : values()) {
                if (m.label.toLowerCase(Locale.ROOT).equals(t) || m.name().toLowerCase(Locale.ROOT).equals(t)
                        || t.startsWith(m.label.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown PSF model '" + s + "': use Born & Wolf or Gaussian");
        }
    }

    public Optics {
        if (!(na > 0) || !(refractiveIndex > 0) || !(wavelengthNm > 0)) {
            throw new IllegalArgumentException("NA, wavelength and refractive index must be positive");
        }
        if (na >= refractiveIndex) {
            throw new IllegalArgumentException("NA " + na + " must be smaller than the refractive index "
                    + refractiveIndex + "; check the objective's NA and the immersion medium");
        }
    }

    /** Lateral Gaussian sigma (nm) that best fits the widefield PSF: 0.21 lambda / NA. */
    public double sigmaLateralNm() {
        return 0.21 * wavelengthNm / na;
    }

    /** Axial Gaussian sigma (nm) of the widefield PSF: 0.66 lambda n / NA^2. */
    public double sigmaAxialNm() {
        return 0.66 * wavelengthNm * refractiveIndex / (na * na);
    }

    /**
     * Nanometres per unit of length for a calibration unit (micron, um, nm, mm, ...); refuses
     * uncalibrated images with a message saying how to calibrate them.
     */
    public static double nmPerUnit(String unit) {
        String u = unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
        switch (u) {
            case "nm": case "nanometer": case "nanometers": case "nanometre": case "nanometres":
                return 1;
            case "micron": case "microns": case "um": case "\u00b5m": case "\u03bcm": case "micrometer":
            case "micrometers": case "micrometre": case "micrometres":
                return 1000;
            case "mm": case "millimeter": case "millimeters": case "millimetre": case "millimetres":
                return 1e6;
            default:
                throw new IllegalArgumentException("the image is not calibrated in a length unit (unit '" + unit
                        + "'); set the pixel size in microns with Image > Properties, or give the pixel size");
        }
    }

    /**
     * The PSF for an image of the given dimensions (2 or 3) and calibration: lateral size covering
     * about three Airy radii (odd, at most the image), axial size the largest odd number of planes
     * not above the stack's depth nor the PSF's axial extent. Normalised to sum 1; 2D for a 2D image
     * (the in-focus plane).
     */
    public Img<FloatType> psfFor(long[] imageDims, ImageCalibration cal) {
        double nm = nmPerUnit(cal.unit());
        double px = cal.pixelWidth() * nm;
        double dz = cal.pixelDepth() * nm;
        boolean is3D = imageDims.length == 3 && imageDims[2] > 1;
        int sizeXY = oddAtMost((int) Math.ceil(3 * 0.61 * wavelengthNm / na / px) * 2 + 1, imageDims[0], imageDims[1]);
        sizeXY = Math.max(sizeXY, oddAtMost(5, imageDims[0], imageDims[1]));
        int sizeZ = 1;
        if (is3D) {
            int half = (int) Math.ceil(3 * sigmaAxialNm() / dz);
            sizeZ = oddAtMost(2 * half + 1, imageDims[2], imageDims[2]);
        }
        return generate(px, dz, sizeXY, sizeZ, is3D);
    }

    /** The PSF on a grid of {@code pixelNm} x {@code pixelNm} x {@code zStepNm}; 2D when sizeZ is 1. */
    public Img<FloatType> generate(double pixelNm, double zStepNm, int sizeXY, int sizeZ, boolean keep3D) {
        Img<FloatType> psf;
        if (model == Model.GAUSSIAN) {
            double sxy = sigmaLateralNm() / pixelNm;
            psf = sizeZ == 1 && !keep3D ? Psf.gaussian2D(sxy, sizeXY)
                    : Psf.gaussian3D(sxy, sigmaAxialNm() / zStepNm, sizeXY, sizeZ);
        } else {
            psf = Psf.bornWolf(na, wavelengthNm, refractiveIndex, pixelNm, zStepNm, sizeXY, sizeZ);
        }
        if (sizeZ == 1 && !keep3D && psf.numDimensions() == 3) {
            psf = FloatImages.wrap(FloatImages.copyData(psf), sizeXY, sizeXY);
        }
        return psf;
    }

    private static int oddAtMost(int want, long a, long b) {
        long cap = Math.min(a, b);
        long s = Math.min(want, cap);
        if (s % 2 == 0) {
            s--;
        }
        return (int) Math.max(1, s);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s PSF, NA %.3g, emission %.0f nm, n %.4g", model.label(), na,
                wavelengthNm, refractiveIndex);
    }
}
