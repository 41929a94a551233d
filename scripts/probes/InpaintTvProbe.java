import io.github.lipschitzpnp.image.*;
import io.github.lipschitzpnp.solve.*;
import io.github.lipschitzpnp.physics.*;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import java.nio.file.Path;

/**
 * TV (PDHG) inpainting with diagonal against scalar steps: PSNR and objective at iterations
 * 100 .. 5000. Inputs from the user guide's inpainting example:
 *   ./lpnp simulate sample-images/eval/mri_s1045_256.tif /tmp/ug/mri_masked.tif --acquisition mask --missing 0.5 --level 0.01
 * Usage: java -cp "target/lipschitz-pnp.jar:target/lib/*" scripts/probes/InpaintTvProbe.java 0.005 2000
 */
public class InpaintTvProbe {
    public static void main(String[] a) {
        Img<FloatType> y0 = ImageFiles.read(Path.of("/tmp/ug/mri_masked.tif")).image(); Img<FloatType> y = Scaling.minMax(y0).normalize(y0);
        Img<FloatType> m = ImageFiles.read(Path.of("/tmp/ug/mri_masked_mask.tif")).image();
        Img<FloatType> truth = ImageFiles.read(Path.of("sample-images/eval/mri_s1045_256.tif")).image();
        float[] t = FloatImages.copyData(truth); float mn=Float.MAX_VALUE,mx=-Float.MAX_VALUE; for(float v:t){mn=Math.min(mn,v);mx=Math.max(mx,v);}
        for(int i=0;i<t.length;i++) t[i]=(t[i]-mn)/(mx-mn);
        float[] md = FloatImages.copyData(m); for (int i=0;i<md.length;i++) md[i] = md[i]!=0?1:0;
        MaskOperator op = new MaskOperator(FloatImages.wrap(md, 256, 256));
        Problem p = Problem.of(op, y).withReference(FloatImages.wrap(t,256,256)).withDataRange(1.0);
        for (boolean d : new boolean[]{true,false}) {
            SolverResult r = new TvPdhg().regularization(Double.parseDouble(a[0])).preconditioned(d).maxIterations(Integer.parseInt(a[1])).tolerance(0).solve(p);
            double[] ps = r.psnr(); double[] ob = r.objectives();
            StringBuilder sb = new StringBuilder(d?"diagonal:":"scalar:  ");
            for (int k : new int[]{100,200,500,1000,2000,5000}) if (k<=ps.length) sb.append(String.format(" it%d %.2f dB (obj %.4f);", k, ps[k-1], ob[k-1]));
            System.out.println(sb);
        }
    }
}
