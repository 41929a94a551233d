import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.*;
import io.github.lipschitzpnp.physics.*;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import java.nio.file.Path;
import java.util.*;

/**
 * TV (PDHG, x >= 0) on the sparse-view CT task of lpnp results reconstruction (60 angles, 1% noise,
 * ct_small and MRI 256 px crops, FBP start) with any iteration budget: mean PSNR at iterations 100,
 * 300, 1000, 3000 and the end, and per image at the end; diagonal (Pock-Chambolle) steps, or the
 * scalar steps with a third argument "scalar".
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/CtTvProbe.java 16,64 10000 [scalar]
 */
public class CtTvProbe {
    public static void main(String[] args) {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"),
                List.of("ct_small_mu_256.tif", "mri_s1045_256.tif"), 256);
        long seed = 14; // after the three deconvolution images (11, 12, 13)
        List<Problem> probs = new ArrayList<>();
        for (HeldOutImages.Named n : imgs) {
            probs.add(ReconstructionComparison.sparseViewCt(n.image(), seed++));
        }
        int iters = Integer.parseInt(args[1]);
        boolean diagonal = args.length < 3 || !args[2].equals("scalar");
        int[] marks = {100, 300, 1000, 3000};
        for (String ls : args[0].split(",")) {
            double l = Double.parseDouble(ls);
            StringBuilder sb = new StringBuilder("lambda " + ls + (diagonal ? " (diagonal steps):" : " (scalar steps):"));
            double[] mean = new double[marks.length + 1];
            StringBuilder per = new StringBuilder();
            for (Problem p : probs) {
                SolverResult r = new TvPdhg().regularization(l).nonNegative(true).preconditioned(diagonal)
                        .maxIterations(iters).tolerance(0).solve(p);
                double[] ps = r.psnr();
                for (int m = 0; m < marks.length; m++) {
                    mean[m] += ps[Math.min(marks[m] - 1, ps.length - 1)] / probs.size();
                }
                mean[marks.length] += ps[ps.length - 1] / probs.size();
                per.append(String.format(" %.2f", ps[ps.length - 1]));
            }
            for (int m = 0; m < marks.length; m++) {
                if (marks[m] <= iters) {
                    sb.append(String.format(" at %d: %.2f;", marks[m], mean[m]));
                }
            }
            System.out.println(sb + String.format(" end %.2f (per image%s)", mean[marks.length], per));
        }
    }
}
