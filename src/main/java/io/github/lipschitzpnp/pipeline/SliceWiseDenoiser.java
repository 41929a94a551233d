package io.github.lipschitzpnp.pipeline;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.Denoiser;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * A 2D denoiser applied to each z-plane of a 3D image (x, y, z). If the 2D denoiser is
 * L-Lipschitz, so is this map (the squared differences of the planes add up), so PnP guarantees
 * carry over to z-stacks.
 */
public final class SliceWiseDenoiser implements Denoiser {

    private final Denoiser planeDenoiser;

    public SliceWiseDenoiser(Denoiser planeDenoiser) {
        this.planeDenoiser = planeDenoiser;
    }

    /** {@code d} itself for 2D images, plane by plane for 3D images. */
    public static Denoiser forDimensions(Denoiser d, int imageDims) {
        return d == null || imageDims == 2 ? d : new SliceWiseDenoiser(d);
    }

    @Override
    public Img<FloatType> denoise(RandomAccessibleInterval<FloatType> x) {
        if (x.numDimensions() == 2) {
            return planeDenoiser.denoise(x);
        }
        if (x.numDimensions() != 3) {
            throw new IllegalArgumentException("slice-wise denoising needs a 2D or 3D image, got "
                    + x.numDimensions() + "D");
        }
        long[] dims = Intervals.dimensionsAsLongArray(x);
        int plane = Math.toIntExact(dims[0] * dims[1]);
        float[] out = new float[Math.toIntExact(Intervals.numElements(dims))];
        for (int z = 0; z < dims[2]; z++) {
            Img<FloatType> slice = FloatImages.copy(Views.zeroMin(Views.hyperSlice(x, 2, x.min(2) + z)));
            float[] d = FloatImages.data(planeDenoiser.denoise(slice));
            System.arraycopy(d, 0, out, z * plane, plane);
        }
        return FloatImages.wrap(out, dims);
    }

    @Override
    public double lipschitzBound() {
        return planeDenoiser.lipschitzBound();
    }

    /** Unchanged: the same a-averaged map on every plane is a-averaged on the stack. */
    @Override
    public double averagedness() {
        return planeDenoiser.averagedness();
    }

    @Override
    public String describe() {
        return planeDenoiser.describe() + ", plane by plane";
    }
}
