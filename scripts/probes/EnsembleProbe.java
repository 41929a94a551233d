import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.solve.*;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import java.nio.file.Path;
import java.util.*;

/**
 * Held-out denoising (the images, crops and seeded noise of lpnp results denoising) with a bundled
 * model alone and averaged over the 8 flips and rotations of the plane (g^-1 D(g x), a mean of maps
 * with D's Lipschitz constant), at the given strengths: mean PSNR and per image. The averaging lives
 * only here: it gained 0.04 dB at 25/255 for 8x the time (docs/models.md).
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/EnsembleProbe.java gauss25 0.76
 */
public class EnsembleProbe {
    public static void main(String[] args) throws Exception {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"), HeldOutImages.DENOISING, 256);
        try (DenoiserModel model = BundledModels.load(args[0], ai.djl.Device.cpu())) {
            double sigma = model.noiseSigma();
            NetworkDenoiser net = new NetworkDenoiser(model);
            for (String ks : args[1].split(",")) {
                Denoiser d = new ScaledDenoiser(net, Double.parseDouble(ks));
                for (boolean ens : new boolean[] {false, true}) {
                    StringBuilder sb = new StringBuilder();
                    double mean = 0;
                    for (int i = 0; i < imgs.size(); i++) {
                        Img<FloatType> noisy = HeldOutImages.noisy(imgs.get(i).image(), sigma, 1000L * Math.round(sigma * 255) + i);
                        Img<FloatType> out = ens ? ensemble(d, noisy) : d.denoise(noisy);
                        double p = Metrics.psnr(out, imgs.get(i).image(), 1.0);
                        mean += p / imgs.size();
                        sb.append(String.format(Locale.ROOT, " %.2f", p));
                    }
                    System.out.printf(Locale.ROOT, "%s x%s %-9s mean %.3f:%s%n", args[0], ks, ens ? "ensemble" : "single", mean, sb);
                }
            }
        }
    }

    /** Mean over g of g^-1 D(g x) for the 8 symmetries of a square image (bit 0 transpose, bits 1-2 flips). */
    static Img<FloatType> ensemble(Denoiser d, Img<FloatType> x) {
        int n = (int) x.dimension(0);
        float[] in = FloatImages.data(x);
        double[] sum = new double[in.length];
        for (int g = 0; g < 8; g++) {
            float[] moved = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                moved[target(g, i, n)] = in[i];
            }
            float[] out = FloatImages.data(d.denoise(FloatImages.wrap(moved, n, n)));
            for (int i = 0; i < in.length; i++) {
                sum[i] += out[target(g, i, n)];
            }
        }
        float[] mean = new float[in.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / 8);
        }
        return FloatImages.wrap(mean, n, n);
    }

    static int target(int g, int i, int n) {
        int x = i % n;
        int y = i / n;
        int a = (g & 1) != 0 ? y : x;
        int b = (g & 1) != 0 ? x : y;
        if ((g & 2) != 0) a = n - 1 - a;
        if ((g & 4) != 0) b = n - 1 - b;
        return b * n + a;
    }
}
