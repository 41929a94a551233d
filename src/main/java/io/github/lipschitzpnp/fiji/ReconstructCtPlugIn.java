package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import java.io.File;

/** ImageJ 1.x bridge of {@link ReconstructCtCommand}. */
public class ReconstructCtPlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Reconstruct CT (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        f.string("Angles_file (degrees; empty = evenly spaced over 180)", "");
        f.number("Size (0 = detector count)", 0, 0);
        solverFields(f, new String[] {"FBP", "PnP-PGD", "PnP-ADMM", "PnP-DRS", "PnP-HQS", "RED", "TV (PDHG)",
            "Tikhonov (CG)", "SIRT", "CGLS"}, "PnP-ADMM", 100, RHO_BY_MODEL, 0);
        referenceFields(f);
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) throws Exception {
        String angles = f.text("Angles_file (degrees; empty = evenly spaced over 180)");
        String method = f.text("Method");
        ImagePlus ref = f.image("Reference (for PSNR/SSIM)");
        Jobs.Result r = Jobs.reconstructCt(current, angles.isBlank() ? null : new File(angles),
                f.integer("Size (0 = detector count)"), method.equalsIgnoreCase(Jobs.FBP) ? null : solve(f, null, RHO_BY_MODEL), ref);
        return Outcome.of(r, f.flag("Plot convergence"), ref != null);
    }
}
