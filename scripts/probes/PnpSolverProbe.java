import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.solve.*;
import io.github.lipschitzpnp.physics.*;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import ai.djl.Device;
import java.nio.file.Path;
import java.util.*;

/**
 * PnP-PGD against PnP-ADMM on the held-out deconvolution task of lpnp results reconstruction
 * (Gaussian PSF sigma 2 px, 1% noise, camera, cell, MRI 256 px crops), for models x strengths.
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/PnpSolverProbe.java gauss5,gauss15 1,2,4 100 pgd,admm
 */
public class PnpSolverProbe {
    public static void main(String[] args) throws Exception {
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"),
                List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif"), 256);
        List<Problem> probs = new ArrayList<>();
        long seed = 11;
        for (HeldOutImages.Named n : imgs) {
            long[] dims = {n.image().dimension(0), n.image().dimension(1)};
            LinearOperator a = new ConvolutionOperator(Psf.gaussian2D(2.0, Psf.gaussianSize(2.0)), dims, Boundary.REFLECTIVE);
            // the data of lpnp results reconstruction
            Img<FloatType> y = HeldOutImages.noisy(a.apply(n.image()), 0.01, seed++);
            probs.add(Problem.of(a, y).withReference(n.image()).withDataRange(1.0));
        }
        int iters = Integer.parseInt(args[2]);
        for (String model : args[0].split(",")) {
            try (DenoiserModel m = BundledModels.load(model, Device.cpu())) {
                NetworkDenoiser d = new NetworkDenoiser(m);
                for (String ks : args[1].split(",")) {
                    double k = Double.parseDouble(ks);
                    Denoiser s = new ScaledDenoiser(d, k);
                    for (String method : args[3].split(",")) {
                        double psnr = 0; double last = 0;
                        for (Problem p : probs) {
                            IterativeSolver<?> sol = method.equals("pgd") ? new PnpPgd(s).maxIterations(iters)
                                    : method.equals("pgd1") ? new PnpPgd(s).relaxation(1.0).maxIterations(iters)
                                    : new PnpAdmm(s).maxIterations(iters);
                            SolverResult res = sol.tolerance(0).solve(p);
                            psnr += Metrics.psnr(res.image(), p.reference().orElseThrow(), 1.0);
                            last += res.psnr()[res.psnr().length / 2];
                        }
                        System.out.printf("%s k=%s %s: %.2f dB (at half the iterations %.2f)%n", model, ks, method, psnr / probs.size(), last / probs.size());
                    }
                }
            }
        }
    }
}
