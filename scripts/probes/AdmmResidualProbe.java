import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.solve.*;
import io.github.lipschitzpnp.physics.*;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import ai.djl.Device;
import java.nio.file.Path;
import java.util.*;

/**
 * Where the fixed-point residual of PnP-ADMM grows on the held-out deconvolution task of lpnp results
 * reconstruction (Gaussian PSF sigma 2 px, 1% noise; camera, cell, MRI 256 px crops), counted as
 * that command counts (above 1e-4 of the first residual), optionally with a tighter CG tolerance
 * for the data prox. rho is absolute here (||A|| = 1 for this PSF).
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/AdmmResidualProbe.java gauss15 2 0.3 100 [1e-9]
 */
public class AdmmResidualProbe {
    public static void main(String[] args) throws Exception {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"),
                List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif"), 256);
        long seed = 11;
        try (DenoiserModel m = BundledModels.load(args[0], Device.cpu())) {
            Denoiser d = new ScaledDenoiser(new NetworkDenoiser(m), Double.parseDouble(args[1]));
            for (HeldOutImages.Named n : imgs) {
                Problem p = ReconstructionComparison.deconvolution(n.image(), seed++);
                NormalSolver cg = args.length > 4 ? new ConjugateGradient(Double.parseDouble(args[4]), 500) : new ConjugateGradient();
                long t0 = System.nanoTime();
                SolverResult r = new PnpAdmm(d).penalty(Double.parseDouble(args[2])).normalSolver(cg)
                        .maxIterations(Integer.parseInt(args[3])).tolerance(0).solve(p);
                double[] res = r.residuals();
                StringBuilder sb = new StringBuilder(n.name() + ":");
                for (int k = 1; k < res.length; k++) {
                    if (res[k] > res[k - 1] * (1 + 1e-6) && res[k - 1] > 1e-4 * res[0]) {
                        sb.append(String.format(" it %d: %.3e -> %.3e (rel to first %.1e)", k + 1, res[k - 1], res[k], res[k] / res[0]));
                    }
                }
                double[] ps = r.psnr();
                System.out.println(sb + String.format("  final rel %.1e, PSNR %.3f dB, %.1f s", res[res.length - 1] / res[0],
                        ps[ps.length - 1], (System.nanoTime() - t0) / 1e9));
            }
        }
    }
}
