package io.github.lipschitzpnp.physics;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Generated point-spread functions, centred at index size/2 (sizes must be odd so the centre is a
 * pixel and the PSF is symmetric), sampled at pixel centres and normalised to sum 1.
 */
public final class Psf {

    private Psf() {
    }

    /** An odd size covering +-4 sigma: {@code 2 ceil(4 sigma) + 1}. */
    public static int gaussianSize(double sigma) {
        return 2 * (int) Math.ceil(4 * sigma) + 1;
    }

    /** Gaussian exp(-(x^2+y^2) / (2 sigma^2)), sigma in pixels, dimensions {size, size}. */
    public static Img<FloatType> gaussian2D(double sigma, int size) {
        return gaussian(sigma, sigma, size, 1, false);
    }

    /**
     * Gaussian exp(-(x^2+y^2)/(2 sxy^2) - z^2/(2 sz^2)), sigmas in pixels (z in planes), dimensions
     * {sizeXY, sizeXY, sizeZ}.
     */
    public static Img<FloatType> gaussian3D(double sigmaXY, double sigmaZ, int sizeXY, int sizeZ) {
        return gaussian(sigmaXY, sigmaZ, sizeXY, sizeZ, true);
    }

    private static Img<FloatType> gaussian(double sxy, double sz, int sizeXY, int sizeZ, boolean is3D) {
        requirePositive(sxy, "sigma");
        requirePositive(sz, "sigma z");
        requireOddSize(sizeXY, "size");
        requireOddSize(sizeZ, "z size");
        int c = sizeXY / 2, cz = sizeZ / 2;
        float[] d = new float[sizeXY * sizeXY * sizeZ];
        double sum = 0;
        for (int z = 0; z < sizeZ; z++) {
            double ez = (z - cz) * (z - cz) / (2 * sz * sz);
            for (int y = 0; y < sizeXY; y++) {
                for (int x = 0; x < sizeXY; x++) {
                    double r2 = (x - c) * (x - c) + (y - c) * (y - c);
                    double v = Math.exp(-r2 / (2 * sxy * sxy) - ez);
                    d[(z * sizeXY + y) * sizeXY + x] = (float) v;
                    sum += v;
                }
            }
        }
        normalise(d, sum);
        return is3D ? FloatImages.wrap(d, sizeXY, sizeXY, sizeZ) : FloatImages.wrap(d, sizeXY, sizeXY);
    }

    /**
     * Widefield fluorescence PSF of the Born &amp; Wolf model (scalar, paraxial defocus, no
     * aberrations): {@code h(r, z) = |int_0^1 J0(k NA r rho) exp(-i k z NA^2 rho^2 / (2 n)) rho drho|^2}
     * with {@code k = 2 pi / lambda}, r the lateral distance and z the defocus from the centre plane.
     * All lengths in NANOMETRES. The integral is evaluated by Simpson's rule on a radial table (1/10
     * pixel) and sampled at pixel centres.
     *
     * @param na numerical aperture (0 &lt; NA &lt; n)
     * @param wavelengthNm emission wavelength in nm
     * @param refractiveIndex immersion refractive index n
     * @param pixelSizeNm lateral pixel size in nm
     * @param zStepNm axial step in nm
     * @param sizeXY odd lateral size in pixels
     * @param sizeZ odd number of planes (1: the in-focus plane only)
     * @return a normalised 3D image of dimensions {sizeXY, sizeXY, sizeZ}
     */
    public static Img<FloatType> bornWolf(double na, double wavelengthNm, double refractiveIndex,
            double pixelSizeNm, double zStepNm, int sizeXY, int sizeZ) {
        requirePositive(na, "NA");
        requirePositive(wavelengthNm, "wavelength (nm)");
        requirePositive(refractiveIndex, "refractive index");
        requirePositive(pixelSizeNm, "pixel size (nm)");
        requirePositive(zStepNm, "z step (nm)");
        requireOddSize(sizeXY, "size");
        requireOddSize(sizeZ, "z size");
        if (na >= refractiveIndex) {
            throw new IllegalArgumentException("NA " + na + " must be smaller than the refractive index "
                    + refractiveIndex + "; check the objective's NA and the immersion medium");
        }
        if (wavelengthNm < 100 || wavelengthNm > 2000) {
            throw new IllegalArgumentException("emission wavelength " + wavelengthNm
                    + " nm is outside 100..2000 nm; give it in nanometres (e.g. 520)");
        }
        double k = 2 * Math.PI / wavelengthNm;
        int c = sizeXY / 2, cz = sizeZ / 2;
        double dr = pixelSizeNm / 10;
        double rMax = pixelSizeNm * c * Math.sqrt(2) + 2 * dr;
        int nr = (int) Math.ceil(rMax / dr) + 2;
        double maxArg = k * na * rMax;
        double maxPhase = k * Math.abs(cz * zStepNm) * na * na / (2 * refractiveIndex);
        int m = 2 * (int) Math.ceil(8 * (maxArg + maxPhase) / Math.PI + 50); // even, ~16 points per pi
        double hStep = 1.0 / m;
        // Simpson weights times rho, and J0(k NA r rho) for every (r, rho): independent of z
        double[] rho = new double[m + 1];
        double[] w = new double[m + 1];
        for (int j = 0; j <= m; j++) {
            rho[j] = j * hStep;
            double s = (j == 0 || j == m) ? 1 : (j % 2 == 1 ? 4 : 2);
            w[j] = s * hStep / 3 * rho[j];
        }
        double[][] bessel = new double[nr][m + 1];
        for (int i = 0; i < nr; i++) {
            double a = k * na * i * dr;
            for (int j = 0; j <= m; j++) {
                bessel[i][j] = w[j] * j0(a * rho[j]);
            }
        }
        float[] d = new float[sizeXY * sizeXY * sizeZ];
        double[] cosT = new double[m + 1];
        double[] sinT = new double[m + 1];
        double[] profile = new double[nr];
        double sum = 0;
        for (int z = 0; z < sizeZ; z++) {
            double phase = k * (z - cz) * zStepNm * na * na / (2 * refractiveIndex);
            for (int j = 0; j <= m; j++) {
                cosT[j] = Math.cos(phase * rho[j] * rho[j]);
                sinT[j] = -Math.sin(phase * rho[j] * rho[j]);
            }
            for (int i = 0; i < nr; i++) {
                double re = 0, im = 0;
                double[] b = bessel[i];
                for (int j = 0; j <= m; j++) {
                    re += b[j] * cosT[j];
                    im += b[j] * sinT[j];
                }
                profile[i] = re * re + im * im;
            }
            for (int y = 0; y < sizeXY; y++) {
                for (int x = 0; x < sizeXY; x++) {
                    double r = pixelSizeNm * Math.sqrt((double) (x - c) * (x - c) + (double) (y - c) * (y - c));
                    double u = r / dr;
                    int i0 = (int) u;
                    double f = u - i0;
                    double v = (1 - f) * profile[i0] + f * profile[i0 + 1];
                    d[(z * sizeXY + y) * sizeXY + x] = (float) v;
                    sum += v;
                }
            }
        }
        normalise(d, sum);
        return FloatImages.wrap(d, sizeXY, sizeXY, sizeZ);
    }

    /**
     * Bessel function of the first kind, order 0, by the polynomial approximations of Abramowitz
     * &amp; Stegun 9.4.1 and 9.4.3 (absolute error below 5e-8).
     */
    static double j0(double x) {
        double ax = Math.abs(x);
        if (ax <= 3) {
            double t = (x / 3) * (x / 3);
            return 1 + t * (-2.2499997 + t * (1.2656208 + t * (-0.3163866 + t * (0.0444479
                    + t * (-0.0039444 + t * 0.0002100)))));
        }
        double t = 3 / ax;
        double f0 = 0.79788456 + t * (-0.00000077 + t * (-0.00552740 + t * (-0.00009512
                + t * (0.00137237 + t * (-0.00072805 + t * 0.00014476)))));
        double theta = ax - 0.78539816 + t * (-0.04166397 + t * (-0.00003954 + t * (0.00262573
                + t * (-0.00054125 + t * (-0.00029333 + t * 0.00013558)))));
        return f0 * Math.cos(theta) / Math.sqrt(ax);
    }

    private static void normalise(float[] d, double sum) {
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (d[i] / sum);
        }
    }

    private static void requirePositive(double v, String what) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a positive finite number, got " + v);
        }
    }

    private static void requireOddSize(int s, String what) {
        if (s < 1 || s % 2 == 0) {
            throw new IllegalArgumentException(what + " must be odd and positive (so the PSF has a centre pixel), got "
                    + s);
        }
    }
}
