package io.github.lipschitzpnp.train;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.physics.Noise;
import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.Tikhonov;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training pairs for an adversarial regulariser (Lunz, Oektem, Schoenlieb 2018): clean images and
 * artefact-laden reconstructions of simulated acquisitions of the same images. The pairs are
 * aligned (same size, same scene), so a {@link PatchSampler} with the same seed on both lists
 * draws the same patches; the loss does not need the pairing, it only lowers its variance.
 *
 * <ul>
 *   <li>{@link Task#CT}: each image is reduced (2 x 2 binning while its shorter side is at least
 *       {@code 3 size}) and cut into {@code size x size} tiles; each tile is projected at
 *       {@code angles} angles over 180 degrees, Gaussian noise of {@code noise} times the sinogram's
 *       maximum is added, and the bad image is its FBP (Hann window): streaks and noise.</li>
 *   <li>{@link Task#DECONVOLUTION}: each image is blurred with a Gaussian PSF of {@code psfSigma}
 *       pixels (reflective boundary) with Gaussian noise {@code noise}; the bad images are the data
 *       itself (blur) and an under-regularised Tikhonov deconvolution (lambda {@code 1e-3}, 20 CG
 *       steps: ringing and amplified noise).</li>
 * </ul>
 */
public final class Artefacts {

    /** What the regulariser is for. */
    public enum Task {
        CT("ct"), DECONVOLUTION("deconvolution");

        private final String key;

        Task(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** Parses "ct" or "deconvolution" (any case). */
        public static Task parse(String text) {
            for (Task t : values()) {
                if (t.key.equalsIgnoreCase(text.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown regulariser task '" + text + "': choose ct or deconvolution");
        }
    }

    /**
     * The simulated acquisition.
     *
     * @param task     CT or deconvolution
     * @param angles   CT: projection angles over 180 degrees
     * @param ctSize   CT: side of the image tiles
     * @param noise    Gaussian noise: CT relative to the sinogram maximum, deconvolution absolute on [0, 1]
     * @param psfSigma deconvolution: Gaussian PSF standard deviation in pixels
     */
    public record Settings(Task task, int angles, int ctSize, double noise, double psfSigma) {
        /** The defaults of docs/regulariser.md: 60 angles on 128 x 128 tiles, 1% noise, PSF sigma 2. */
        public static Settings defaults(Task task) {
            return new Settings(task, 60, 128, 0.01, 2.0);
        }

        /** One line for the model's training summary. */
        public String describe() {
            return task == Task.CT
                    ? String.format(Locale.ROOT, "FBP (Hann) of %d-angle parallel-beam sinograms of %dx%d tiles, "
                            + "Gaussian noise %.3g of the sinogram maximum", angles, ctSize, ctSize, noise)
                    : String.format(Locale.ROOT, "Gaussian blur sigma %.3g px (reflective) + Gaussian noise %.3g: "
                            + "the data itself and Tikhonov lambda 1e-3 (20 CG steps)", psfSigma, noise);
        }
    }

    /** Aligned lists: {@code bad.get(i)} is an artefact-laden reconstruction of {@code clean.get(i)}. */
    public record Pairs(List<PatchSampler.Image2D> clean, List<PatchSampler.Image2D> bad) {
    }

    private Artefacts() {
    }

    /** Simulates acquisitions of every image (each scaled to [0, 1]) and reconstructs them badly. */
    public static Pairs make(List<PatchSampler.Image2D> images, Settings s, long seed) {
        List<PatchSampler.Image2D> clean = new ArrayList<>();
        List<PatchSampler.Image2D> bad = new ArrayList<>();
        long k = 0;
        if (s.task() == Task.CT) {
            ParallelBeamRadon radon = new ParallelBeamRadon(s.ctSize(), ParallelBeamRadon.uniformAngles(s.angles()),
                    ParallelBeamRadon.fullDetectorCount(s.ctSize()));
            Fbp fbp = new Fbp(radon, Fbp.Window.HANN);
            for (PatchSampler.Image2D im : images) {
                for (PatchSampler.Image2D tile : tiles(reduce(im, s.ctSize()), s.ctSize())) {
                    Img<FloatType> x = FloatImages.wrap(tile.data().clone(), s.ctSize(), s.ctSize());
                    Img<FloatType> sino = radon.apply(x);
                    double max = 0;
                    for (FloatType t : sino) {
                        max = Math.max(max, t.getRealDouble());
                    }
                    Img<FloatType> y = Noise.gaussian(sino, s.noise() * max, seed + 31 * k++);
                    clean.add(tile);
                    bad.add(new PatchSampler.Image2D(FloatImages.copyData(fbp.reconstruct(y)), s.ctSize(), s.ctSize()));
                }
            }
        } else {
            Img<FloatType> psf = Psf.gaussian2D(s.psfSigma(), Psf.gaussianSize(s.psfSigma()));
            for (PatchSampler.Image2D im : images) {
                long[] dims = {im.width(), im.height()};
                ConvolutionOperator a = new ConvolutionOperator(psf, dims, Boundary.REFLECTIVE);
                Img<FloatType> x = FloatImages.wrap(im.data().clone(), dims);
                Img<FloatType> y = Noise.gaussian(a.apply(x), s.noise(), seed + 31 * k++);
                Img<FloatType> naive = new Tikhonov().regularization(1e-3).maxIterations(20).tolerance(0)
                        .solve(Problem.of(a, y).withInitial(y)).image();
                clean.add(im);
                bad.add(new PatchSampler.Image2D(FloatImages.copyData(y), im.width(), im.height()));
                clean.add(im);
                bad.add(new PatchSampler.Image2D(FloatImages.copyData(naive), im.width(), im.height()));
            }
        }
        return new Pairs(clean, bad);
    }

    /** 2 x 2 binning while the shorter side is at least {@code 3 * side} (512 -> 256: four 128 tiles). */
    static PatchSampler.Image2D reduce(PatchSampler.Image2D im, int side) {
        PatchSampler.Image2D cur = im;
        while (Math.min(cur.width(), cur.height()) >= 3 * side) {
            int w = cur.width() / 2;
            int h = cur.height() / 2;
            float[] d = new float[w * h];
            float[] src = cur.data();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = 2 * y * cur.width() + 2 * x;
                    d[y * w + x] = 0.25f * (src[i] + src[i + 1] + src[i + cur.width()] + src[i + cur.width() + 1]);
                }
            }
            cur = new PatchSampler.Image2D(d, w, h);
        }
        return cur;
    }

    /** Non-overlapping {@code side x side} tiles, centred as a grid; none if the image is smaller. */
    static List<PatchSampler.Image2D> tiles(PatchSampler.Image2D im, int side) {
        List<PatchSampler.Image2D> out = new ArrayList<>();
        int nx = im.width() / side;
        int ny = im.height() / side;
        int ox = (im.width() - nx * side) / 2;
        int oy = (im.height() - ny * side) / 2;
        for (int ty = 0; ty < ny; ty++) {
            for (int tx = 0; tx < nx; tx++) {
                float[] d = new float[side * side];
                for (int y = 0; y < side; y++) {
                    System.arraycopy(im.data(), (oy + ty * side + y) * im.width() + ox + tx * side, d, y * side, side);
                }
                out.add(new PatchSampler.Image2D(d, side, side));
            }
        }
        return out;
    }
}
