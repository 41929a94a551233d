import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.Metrics;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import ai.djl.Device;
import java.nio.file.Path;
import java.util.*;

/**
 * Held-out denoising of one model at one noise level, and how it changes when the input is shifted
 * (x + c), inverted (1 - x) or scaled (k x): a model whose thresholds depend on absolute intensity
 * loses much under a shift. Usage (from the repository root, after a build):
 * java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true scripts/probes/IntensityProbe.java MODEL SIGMA_IN_255THS
 * e.g. MODEL = gauss25, or a file (the first release: git show 128fa2d:src/main/resources/models/gauss25.lpnp.zip).
 */
public class IntensityProbe {
    static Img<FloatType> map(Img<FloatType> x, float a, float b) { // a*x+b
        float[] v = FloatImages.copyData(x);
        for (int i = 0; i < v.length; i++) v[i] = a * v[i] + b;
        return FloatImages.wrap(v, net.imglib2.util.Intervals.dimensionsAsLongArray(x));
    }
    public static void main(String[] args) throws Exception {
        double sigma = Double.parseDouble(args[1]) / 255;
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"), HeldOutImages.DENOISING, 256);
        try (DenoiserModel m = BundledModels.load(args[0], Device.cpu())) {
            NetworkDenoiser d = new NetworkDenoiser(m);
            System.out.println("mix a = " + m.network().mixWeight());
            for (int i = 0; i < imgs.size(); i++) {
                Img<FloatType> c = imgs.get(i).image();
                // the noise of lpnp results denoising
                Img<FloatType> y = HeldOutImages.noisy(c, sigma, 1000L * Math.round(sigma * 255) + i);
                StringBuilder sb = new StringBuilder(String.format("%-16s noisy %.2f", imgs.get(i).name(), Metrics.psnr(y, c, 1.0)));
                sb.append(String.format("  D %.2f", Metrics.psnr(d.denoise(y), c, 1.0)));
                sb.append(String.format("  inv %.2f", Metrics.psnr(map(d.denoise(map(y, -1, 1)), -1, 1), c, 1.0)));
                for (float off : new float[] {-0.3f, 0.3f}) {
                    sb.append(String.format("  off%+.1f %.2f", off, Metrics.psnr(map(d.denoise(map(y, 1, off)), 1, -off), c, 1.0)));
                }
                for (float k : new float[] {0.5f, 0.66f}) {
                    sb.append(String.format("  k%.2f %.2f", k, Metrics.psnr(map(d.denoise(map(y, k, 0)), 1 / k, 0), c, 1.0)));
                }
                // mean of the clean
                float[] cv = FloatImages.copyData(c);
                double mean = 0; for (float f : cv) mean += f; mean /= cv.length;
                sb.append(String.format("  mean %.2f", mean));
                System.out.println(sb);
            }
        }
    }
}
