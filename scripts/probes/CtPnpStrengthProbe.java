import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.solve.*;
import io.github.lipschitzpnp.physics.*;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import java.nio.file.Path;
import java.util.*;

/**
 * PnP-ADMM on the sparse-view CT task of lpnp results reconstruction (60 angles, 1% noise, ct_small
 * and MRI 256 px crops, FBP start, rho = ||A||^2, 100 iterations) with a bundled model or a model file at any
 * strengths, beyond the table's grid: mean PSNR and per image.
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/CtPnpStrengthProbe.java gauss5 4,8,16 [iterations [rho multiples of ||A||^2 [nonneg]]]
 * ("nonneg" clamps the denoiser's output at 0).
 */
public class CtPnpStrengthProbe {
    public static void main(String[] args) throws Exception {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"),
                List.of("ct_small_mu_256.tif", "mri_s1045_256.tif"), 256);
        long seed = 14; // after the three deconvolution images (11, 12, 13), as in the table
        List<Problem> probs = new ArrayList<>();
        for (HeldOutImages.Named n : imgs) {
            probs.add(ReconstructionComparison.sparseViewCt(n.image(), seed++));
        }
        int iters = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        double[] rhos = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToDouble(Double::parseDouble).toArray()
                : new double[] {1};
        boolean nonNeg = args.length > 4 && args[4].equals("nonneg");
        try (DenoiserModel model = args[0].endsWith(".zip") ? DenoiserModel.load(Path.of(args[0]), ai.djl.Device.cpu())
                : BundledModels.load(args[0], ai.djl.Device.cpu())) {
            NetworkDenoiser d = new NetworkDenoiser(model);
            for (String ks : args[1].split(",")) {
              for (double rm : rhos) {
                double k = Double.parseDouble(ks);
                StringBuilder sb = new StringBuilder(args[0] + " strength x" + ks + " rho x" + rm + ":");
                double mean = 0;
                for (Problem p : probs) {
                    double rho = rm * p.operator().norm() * p.operator().norm();
                    Denoiser dk = new ScaledDenoiser(d, k);
                    if (nonNeg) {
                        dk = clampedAtZero(dk);
                    }
                    SolverResult r = new PnpAdmm(dk).penalty(rho).maxIterations(iters).tolerance(0).solve(p);
                    double[] ps = r.psnr();
                    mean += ps[ps.length - 1] / probs.size();
                    sb.append(String.format(" %.2f", ps[ps.length - 1]));
                }
                System.out.println(sb + String.format("  mean %.2f", mean));
              }
            }
        }
    }

    static Denoiser clampedAtZero(Denoiser d) {
        return new Denoiser() {
            public Img<FloatType> denoise(net.imglib2.RandomAccessibleInterval<FloatType> x) {
                Img<FloatType> o = d.denoise(x);
                float[] a = FloatImages.data(o);
                for (int i = 0; i < a.length; i++) a[i] = Math.max(0f, a[i]);
                return o;
            }
            public double lipschitzBound() { return d.lipschitzBound(); }
            public String describe() { return d.describe() + " then x >= 0"; }
        };
    }
}
