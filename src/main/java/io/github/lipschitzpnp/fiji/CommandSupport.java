package io.github.lipschitzpnp.fiji;

import ij.IJ;
import ij.gui.Plot;
import io.github.lipschitzpnp.solve.Method;
import java.awt.GraphicsEnvironment;
import org.scijava.command.DynamicCommand;
import org.scijava.module.MutableModuleItem;

/** What the commands share: menu names, choices, error reporting, plot and table display. */
public final class CommandSupport {

    /** The submenu all commands live in. */
    public static final String MENU = "Plugins>Lipschitz PnP>";

    /** Method display names, PnP first, as listed by {@link Method}. */
    public static final String METHODS = "PnP-PGD,PnP-ADMM,PnP-DRS,PnP-HQS,RED,TV (PDHG),Tikhonov (CG),"
            + "Richardson-Lucy,Wiener,SIRT,CGLS";

    /** PSF sources of Deconvolve. */
    public static final String PSF_BORN_WOLF = "Born & Wolf (generated)";
    public static final String PSF_GAUSSIAN = "Gaussian (generated)";
    public static final String PSF_IMAGE = "PSF image";

    private CommandSupport() {
    }

    /** Fills the choices of a String "model" parameter with the bundled models and "from file...". */
    static void initModelChoices(DynamicCommand command, String item) {
        initModelChoices(command, item, Models.choices(), Models.defaultChoice());
    }

    /** The model choice of a solving command: "auto (by noise level)" first and default. */
    static void initSolverModelChoices(DynamicCommand command, String item) {
        initModelChoices(command, item, Models.solverChoices(), Models.solverChoices().get(0));
    }

    private static void initModelChoices(DynamicCommand command, String item, java.util.List<String> choices,
            String defaultChoice) {
        MutableModuleItem<String> m = command.getInfo().getMutableInput(item, String.class);
        m.setChoices(choices);
        // Keep a value a caller (macro, script, test) already set; otherwise take the default.
        String current = m.getValue(command);
        if (current == null || !choices.contains(current)) {
            m.setValue(command, defaultChoice);
        }
    }

    /** True when no window can be shown (tests, headless Fiji, batch mode). */
    static boolean headless() {
        return GraphicsEnvironment.isHeadless() || IJ.getInstance() == null && ij.macro.Interpreter.isBatchMode();
    }

    /** Shows an error to the user when there is a screen; commands also cancel with it. */
    static void reportError(String title, String message) {
        if (!GraphicsEnvironment.isHeadless()) {
            IJ.error(title, message);
        } else {
            IJ.log(title + ": " + message);
        }
    }

    /** Shows the convergence plot and the results table when asked for and a screen exists. */
    static void showExtras(Jobs.Result r, boolean plot, boolean table) {
        if (GraphicsEnvironment.isHeadless()) {
            return;
        }
        if (plot) {
            Plot p = r.convergencePlot();
            if (p != null) {
                p.show();
            }
        }
        if (table && !r.volumes().isEmpty()) {
            r.table().show("Lipschitz PnP results");
        }
        if (!r.summary().isBlank()) {
            IJ.log(r.image().getTitle() + ": " + r.summary());
        }
    }

    /**
     * The image, or null when none was given: SciJava fills an unset ImagePlus input with an empty
     * {@code new ImagePlus()}, which counts as none.
     */
    static ij.ImagePlus present(ij.ImagePlus imp) {
        return imp == null || imp.getWidth() == 0 || imp.getStackSize() == 0 || imp.getProcessor() == null ? null : imp;
    }

    static Method method(String name) {
        return Method.parse(name);
    }
}
