package io.github.lipschitzpnp.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.lipschitzpnp.image.FloatImages;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

class PsfTest {

    /** Full width at half maximum of a profile peaked at index c, by linear interpolation, in samples. */
    static double fwhm(double[] p, int c) {
        double half = p[c] / 2;
        int r = c;
        while (p[r + 1] > half) {
            r++;
        }
        double right = r + (p[r] - half) / (p[r] - p[r + 1]);
        int l = c;
        while (p[l - 1] > half) {
            l--;
        }
        double left = l - (p[l] - half) / (p[l] - p[l - 1]);
        return right - left;
    }

    private static double sum(float[] d) {
        double s = 0;
        for (float v : d) {
            s += v;
        }
        return s;
    }

    @Test
    void besselJ0MatchesItsIntegral() {
        // J0(x) = (1/pi) int_0^pi cos(x sin t) dt; the trapezoid rule is spectrally accurate here
        for (double x : new double[] {0, 0.5, 1.7, 2.9, 3.1, 5.5, 12.3, 40.0}) {
            int m = 400;
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += Math.cos(x * Math.sin(Math.PI * (i + 0.5) / m));
            }
            assertEquals(s / m, Psf.j0(x), 1e-7, "J0(" + x + ")");
        }
        assertEquals(0, Psf.j0(2.404825557695773), 1e-7);
    }

    @Test
    void gaussian() {
        Img<FloatType> g = Psf.gaussian2D(2.0, Psf.gaussianSize(2.0));
        assertEquals(17, g.dimension(0));
        float[] d = FloatImages.data(g);
        assertEquals(1, sum(d), 1e-5);
        double[] row = new double[17];
        for (int i = 0; i < 17; i++) {
            row[i] = d[8 * 17 + i];
        }
        assertEquals(2 * Math.sqrt(2 * Math.log(2)) * 2.0, fwhm(row, 8), 0.05);
        Img<FloatType> g3 = Psf.gaussian3D(1, 2, 7, 9);
        assertEquals(9, g3.dimension(2));
        assertEquals(1, sum(FloatImages.data(g3)), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> Psf.gaussian2D(1, 6));
        assertThrows(IllegalArgumentException.class, () -> Psf.gaussian2D(-1, 5));
    }

    @Test
    void bornWolfWidefield() {
        double na = 1.4, lambda = 520, n = 1.518, px = 20, dz = 100;
        int s = 41, sz = 41;
        Img<FloatType> psf = Psf.bornWolf(na, lambda, n, px, dz, s, sz);
        float[] d = FloatImages.data(psf);
        assertEquals(1, sum(d), 1e-4);
        int c = s / 2, cz = sz / 2;
        // brightest pixel at the centre
        int arg = 0;
        for (int i = 1; i < d.length; i++) {
            if (d[i] > d[arg]) {
                arg = i;
            }
        }
        assertEquals((cz * s + c) * s + c, arg);
        // lateral FWHM in focus: Airy disc, about 0.51 lambda / NA
        double[] row = new double[s];
        for (int i = 0; i < s; i++) {
            row[i] = d[(cz * s + c) * s + i];
        }
        double lateral = fwhm(row, c) * px;
        assertEquals(0.51 * lambda / na, lateral, 0.1 * 0.51 * lambda / na, "lateral FWHM (nm) " + lateral);
        // axial profile along the optical axis
        double[] axis = new double[sz];
        for (int z = 0; z < sz; z++) {
            axis[z] = d[(z * s + c) * s + c];
        }
        double axial = fwhm(axis, cz) * dz;
        assertTrue(axial > 2 * lateral, "axial FWHM " + axial + " nm vs lateral " + lateral + " nm");
        // symmetric: x <-> -x, y <-> -y, x <-> y, z <-> -z
        for (int z = 0; z < sz; z += 5) {
            for (int y = 0; y < s; y += 3) {
                for (int x = 0; x < s; x += 2) {
                    float v = d[(z * s + y) * s + x];
                    assertEquals(v, d[(z * s + y) * s + (s - 1 - x)], 1e-6 * d[arg]);
                    assertEquals(v, d[(z * s + (s - 1 - y)) * s + x], 1e-6 * d[arg]);
                    assertEquals(v, d[(z * s + x) * s + y], 1e-6 * d[arg]);
                    assertEquals(v, d[((sz - 1 - z) * s + y) * s + x], 1e-6 * d[arg]);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Psf.bornWolf(1.6, 520, 1.518, 65, 200, 33, 9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Psf.bornWolf(1.4, 0.52, 1.518, 65, 200, 33, 9));
        assertTrue(e.getMessage().contains("nanometres"), e.getMessage());
    }
}
