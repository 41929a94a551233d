package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;

/** ImageJ 1.x bridge of {@link InpaintCommand}. */
public class InpaintPlugIn extends BridgePlugIn {

    @Override
    protected String title() {
        return "Inpaint (Lipschitz PnP)";
    }

    @Override
    protected void declare(Form f, ImagePlus current) {
        f.imageChoice("Mask (nonzero = observed)", false, null);
        solverFields(f, new String[] {"PnP-PGD", "PnP-ADMM", "PnP-DRS", "PnP-HQS", "RED", "TV (PDHG)",
            "Tikhonov (CG)", "CGLS"}, "PnP-PGD", 100);
        referenceFields(f);
    }

    @Override
    protected Outcome execute(Form f, ImagePlus current) {
        ImagePlus ref = f.image("Reference (for PSNR/SSIM)");
        Jobs.Result r = Jobs.inpaint(current, f.image("Mask (nonzero = observed)"), solve(f, null), ref);
        return Outcome.of(r, f.flag("Plot convergence"), ref != null);
    }
}
