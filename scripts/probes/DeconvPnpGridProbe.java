import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.solve.*;
import java.nio.file.Path;
import java.util.*;

/**
 * PnP-ADMM on the deconvolution task of lpnp results reconstruction (Gaussian PSF sigma 2 px, 1% noise;
 * camera, cell and MRI 256 px crops, seeds 11-13) with a bundled model or a model file over any
 * strengths and penalties rho (absolute: ||A|| = 1 here), beyond the table's grid: mean PSNR and per image.
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/DeconvPnpGridProbe.java gauss15 1,2,4 0.3,1,3 [iterations]
 */
public class DeconvPnpGridProbe {
    public static void main(String[] args) throws Exception {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"),
                List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif"), 256);
        long seed = 11; // as in the table
        List<Problem> probs = new ArrayList<>();
        for (HeldOutImages.Named n : imgs) {
            probs.add(ReconstructionComparison.deconvolution(n.image(), seed++));
        }
        int iters = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        try (DenoiserModel model = args[0].endsWith(".zip") ? DenoiserModel.load(Path.of(args[0]), ai.djl.Device.cpu())
                : BundledModels.load(args[0], ai.djl.Device.cpu())) {
            NetworkDenoiser d = new NetworkDenoiser(model);
            for (String ks : args[1].split(",")) {
                for (String rs : args[2].split(",")) {
                    StringBuilder sb = new StringBuilder(args[0] + " strength x" + ks + " rho " + rs + ":");
                    double mean = 0;
                    for (Problem p : probs) {
                        SolverResult r = new PnpAdmm(new ScaledDenoiser(d, Double.parseDouble(ks)))
                                .penalty(Double.parseDouble(rs)).maxIterations(iters).tolerance(0).solve(p);
                        double[] ps = r.psnr();
                        mean += ps[ps.length - 1] / probs.size();
                        sb.append(String.format(Locale.ROOT, " %.2f", ps[ps.length - 1]));
                    }
                    System.out.println(sb + String.format(Locale.ROOT, "  mean %.2f", mean));
                }
            }
        }
    }
}
