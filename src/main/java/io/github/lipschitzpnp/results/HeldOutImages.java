package io.github.lipschitzpnp.results;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.Scaling;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real images never used in training (sample-images/eval), scaled to [0, 1] by their min and max
 * like the training images, optionally cropped to a centred square.
 */
public final class HeldOutImages {

    /** A named image in [0, 1]. */
    public record Named(String name, Img<FloatType> image) {
    }

    /** The natural and scientific 2D images of sample-images/eval used for denoising and deconvolution. */
    public static final List<String> DENOISING = List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif",
            "ct_small_mu_256.tif");

    private HeldOutImages() {
    }

    /** Loads the files, each scaled to [0, 1], centre-cropped to {@code crop} (0 = whole image). */
    public static List<Named> load(Path folder, List<String> files, int crop) {
        List<Named> out = new ArrayList<>();
        for (String f : files) {
            Img<FloatType> img = ImageFiles.read(folder.resolve(f)).image();
            if (img.numDimensions() != 2) {
                throw new IllegalArgumentException(f + " is not a 2D image");
            }
            if (crop > 0 && (img.dimension(0) > crop || img.dimension(1) > crop)) {
                long w = Math.min(crop, img.dimension(0));
                long h = Math.min(crop, img.dimension(1));
                long x0 = (img.dimension(0) - w) / 2;
                long y0 = (img.dimension(1) - h) / 2;
                img = FloatImages.copy(Views.zeroMin(Views.interval(img, new long[] {x0, y0},
                        new long[] {x0 + w - 1, y0 + h - 1})));
            }
            out.add(new Named(f.replaceAll("\\.[a-z]+$", ""), FloatImages.copy(Scaling.minMax(img).normalize(img))));
        }
        return out;
    }

    /**
     * A copy with seeded Gaussian noise of standard deviation {@code sigma} added (the generator the
     * comparison tables were made with; kept so that they reproduce).
     */
    public static Img<FloatType> noisy(Img<FloatType> clean, double sigma, long seed) {
        float[] v = FloatImages.copyData(clean);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (sigma * r.nextGaussian());
        }
        return FloatImages.wrap(v, net.imglib2.util.Intervals.dimensionsAsLongArray(clean));
    }
}
