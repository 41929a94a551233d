import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.*;
import io.github.lipschitzpnp.physics.*;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import java.nio.file.Path;
import java.util.*;

/**
 * TV (PDHG, x >= 0) on the sparse-view CT task of lpnp results reconstruction (60 angles, 1% noise,
 * ct_small and MRI 256 px crops, FBP start) with any iteration budget: PSNR at the end and at
 * iteration 500, per image and averaged.
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/CtTvProbe.java 16,64 10000
 */
public class CtTvProbe {
    public static void main(String[] args) {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"),
                List.of("ct_small_mu_256.tif", "mri_s1045_256.tif"), 256);
        long seed = 14; // after the three deconvolution images (11, 12, 13)
        List<Problem> probs = new ArrayList<>();
        for (HeldOutImages.Named n : imgs) {
            int size = (int) n.image().dimension(0);
            ParallelBeamRadon radon = new ParallelBeamRadon(size, ParallelBeamRadon.uniformAngles(60),
                    ParallelBeamRadon.fullDetectorCount(size));
            Img<FloatType> clean = radon.apply(n.image());
            double max = 0;
            for (float v : FloatImages.data(clean)) max = Math.max(max, v);
            Img<FloatType> y = HeldOutImages.noisy(clean, 0.01 * max, seed++);
            Img<FloatType> fbp = new Fbp(radon, Fbp.Window.HANN).reconstruct(y);
            probs.add(Problem.of(radon, y).withReference(n.image()).withDataRange(1.0).withInitial(fbp));
        }
        int iters = Integer.parseInt(args[1]);
        for (String ls : args[0].split(",")) {
            double l = Double.parseDouble(ls);
            StringBuilder sb = new StringBuilder("lambda " + ls + ":");
            double mean = 0, mean500 = 0;
            for (Problem p : probs) {
                SolverResult r = new TvPdhg().regularization(l).nonNegative(true).maxIterations(iters).tolerance(0).solve(p);
                double[] ps = r.psnr();
                mean += ps[ps.length - 1] / probs.size();
                mean500 += ps[Math.min(499, ps.length - 1)] / probs.size();
                sb.append(String.format(" %.2f (at 500: %.2f)", ps[ps.length - 1], ps[Math.min(499, ps.length - 1)]));
            }
            System.out.println(sb + String.format("  mean %.2f (at 500: %.2f)", mean, mean500));
        }
    }
}
