import io.github.lipschitzpnp.results.HeldOutImages;
import io.github.lipschitzpnp.results.ReconstructionComparison;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.model.*;
import io.github.lipschitzpnp.pipeline.ScaledDenoiser;
import io.github.lipschitzpnp.solve.*;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import java.nio.file.Path;
import java.util.*;

/**
 * PnP-ADMM on the two tasks of lpnp results reconstruction (deconvolution: camera, cell, MRI, seeds 11-13;
 * CT: ct_small and MRI, seeds 14-15; 256 px crops) with the prior step P = I + c (D_k - I) instead of the
 * solver's (I + D_k)/2 (c = 0.5), D_k the model at strength k. A bundled model is D = (1 - a) I + a N with
 * N certified 1-Lipschitz (its identity mix), so P is firmly non-expansive, as ADMM's guarantee needs, for
 * every c <= 1/(2a) ("max": P = (I + N)/2, run as the library's Averaging.CERTIFIED). Prints the mean PSNR, per image, and the residual increases
 * above 1e-4 of the first residual.
 * An optional last argument G (2, 4 or 8) averages D_k over the first G symmetries of the square
 * (g^-1 D_k(g x); bit 0 transpose, bits 1-2 flips): a mean of maps conjugated by pixel permutations,
 * so the same bound and the same averagedness a, for G times the work.
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" -Dai.djl.offline=true
 *   scripts/probes/CertifiedRelaxationProbe.java deconv|ct gauss15 1.4,2 0.2,0.3 0.5,max [iterations [G]]
 * (penalties rho as multiples of ||A||^2; ||A|| = 1 for deconvolution).
 */
public class CertifiedRelaxationProbe {
    public static void main(String[] args) throws Exception {
        boolean ct = args[0].equals("ct");
        List<HeldOutImages.Named> imgs = HeldOutImages.load(Path.of("sample-images/eval"), ct
                ? List.of("ct_small_mu_256.tif", "mri_s1045_256.tif")
                : List.of("camera_512.png", "cell_qpi_512.tif", "mri_s1045_256.tif"), 256);
        long seed = ct ? 14 : 11;
        List<Problem> probs = new ArrayList<>();
        for (HeldOutImages.Named n : imgs) {
            probs.add(ct ? ReconstructionComparison.sparseViewCt(n.image(), seed++)
                    : ReconstructionComparison.deconvolution(n.image(), seed++));
        }
        int iters = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        int symmetries = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        try (DenoiserModel model = args[1].endsWith(".zip") ? DenoiserModel.load(Path.of(args[1]), ai.djl.Device.cpu())
                : BundledModels.load(args[1], ai.djl.Device.cpu())) {
            double a = model.network().mixWeight();
            NetworkDenoiser d = new NetworkDenoiser(model);
            for (String cs : args[4].split(","))
            for (String ks : args[2].split(","))
            for (String rs : args[3].split(",")) {
                double c = cs.equals("max") ? 1 / (2 * a) : Double.parseDouble(cs);
                double k = Double.parseDouble(ks);
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %s c %.3f x%s rho x%s G %d:", args[0], args[1], c, ks, rs, symmetries));
                Denoiser dk = symmetries > 1 ? symmetric(new ScaledDenoiser(d, k), symmetries) : new ScaledDenoiser(d, k);
                double mean = 0; long t0 = System.nanoTime(); int incr = 0;
                for (Problem p : probs) {
                    double rho = Double.parseDouble(rs) * p.operator().norm() * p.operator().norm();
                    // "max" is the library's Averaging.CERTIFIED; other c wrap the step here
                    SolverResult r = (cs.equals("max")
                            ? new PnpAdmm(dk).averaging(Averaging.CERTIFIED)
                            : new PnpAdmm(relaxed(dk, c)).averaging(Averaging.NEVER))
                            .penalty(rho).maxIterations(iters).tolerance(0).solve(p);
                    double[] ps = r.psnr();
                    double[] res = r.residuals();
                    for (int i = 1; i < res.length; i++) if (res[i] > res[i-1] && res[i] > 1e-4 * res[0]) incr++;
                    mean += ps[ps.length - 1] / probs.size();
                    sb.append(String.format(Locale.ROOT, " %.2f", ps[ps.length - 1]));
                }
                System.out.println(sb + String.format(Locale.ROOT, "  mean %.2f  incr %d  %.0fs", mean, incr, (System.nanoTime() - t0) / 1e9));
            }
        }
    }

    /** The mean of g^-1 D(g x) over the first G symmetries of the square; D's bound and averagedness. */
    static Denoiser symmetric(Denoiser d, int count) {
        return new Denoiser() {
            public Img<FloatType> denoise(net.imglib2.RandomAccessibleInterval<FloatType> x) {
                int n = (int) x.dimension(0);
                float[] in = FloatImages.data(x);
                double[] sum = new double[in.length];
                for (int g = 0; g < count; g++) {
                    float[] moved = new float[in.length];
                    for (int i = 0; i < in.length; i++) moved[target(g, i, n)] = in[i];
                    float[] out = FloatImages.data(d.denoise(FloatImages.wrap(moved, n, n)));
                    for (int i = 0; i < in.length; i++) sum[i] += out[target(g, i, n)];
                }
                float[] mean = new float[in.length];
                for (int i = 0; i < mean.length; i++) mean[i] = (float) (sum[i] / count);
                return FloatImages.wrap(mean, n, n);
            }
            public double lipschitzBound() { return d.lipschitzBound(); }
            public double averagedness() { return d.averagedness(); }
            public String describe() { return d.describe() + " averaged over " + count + " symmetries"; }
        };
    }

    static int target(int g, int i, int n) {
        int x = i % n, y = i / n;
        int a = (g & 1) != 0 ? y : x, b = (g & 1) != 0 ? x : y;
        if ((g & 2) != 0) a = n - 1 - a;
        if ((g & 4) != 0) b = n - 1 - b;
        return b * n + a;
    }

    static Denoiser relaxed(Denoiser d, double c) {
        return new Denoiser() {
            public Img<FloatType> denoise(net.imglib2.RandomAccessibleInterval<FloatType> x) {
                float[] in = FloatImages.data(x);
                float[] out = FloatImages.data(d.denoise(x)).clone();
                for (int i = 0; i < out.length; i++) out[i] = in[i] + (float) c * (out[i] - in[i]);
                return FloatImages.wrap(out, net.imglib2.util.Intervals.dimensionsAsLongArray(x));
            }
            public double lipschitzBound() { return Double.NaN; }
            public String describe() { return "I + " + c + " (D - I) of " + d.describe(); }
        };
    }
}
