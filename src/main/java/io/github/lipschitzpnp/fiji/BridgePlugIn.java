package io.github.lipschitzpnp.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.awt.GraphicsEnvironment;
import java.util.List;

/**
 * The ImageJ 1.x face of a command (listed in plugins.config): a {@link Form} for the parameters,
 * the same {@link Jobs} as the SciJava command, and the results shown as ImageJ windows. Macros call
 * it as {@code run("Deconvolve (Lipschitz PnP)", "psf=[PSF] method=[PnP-ADMM] iterations=50")}.
 */
public abstract class BridgePlugIn implements PlugIn {

    /** The command name (menu label and macro name). */
    protected abstract String title();

    /** Declares the fields of the form; {@code current} is the active image (may be null). */
    protected abstract void declare(Form form, ImagePlus current);

    /** Runs the job with the form's values; returns the images to show and optional extras. */
    protected abstract Outcome execute(Form form, ImagePlus current) throws Exception;

    /** What a bridge command produced. */
    public record Outcome(List<ImagePlus> images, Jobs.Result result, String text, boolean plot, boolean table) {
        static Outcome of(Jobs.Result r, boolean plot, boolean table) {
            List<ImagePlus> images = r.extra() == null ? List.of(r.image()) : List.of(r.image(), r.extra());
            return new Outcome(images, r, null, plot, table);
        }
    }

    @Override
    public void run(String arg) {
        // ImageJ loads plugins with its own class loader; DJL finds its engine (ServiceLoader) and
        // native library through the thread's context class loader, which must see our jars.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BridgePlugIn.class.getClassLoader());
        try {
            runWithDialogOrMacro();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void runWithDialogOrMacro() {
        ImagePlus current = WindowManager.getCurrentImage();
        Form form = Form.forCommand(title());
        try {
            declare(form, current);
            if (!form.show()) {
                return;
            }
            Outcome o = execute(form, current);
            for (ImagePlus imp : o.images()) {
                imp.show();
            }
            if (o.result() != null) {
                CommandSupport.showExtras(o.result(), o.plot(), o.table());
            }
            if (o.text() != null) {
                IJ.log(o.text());
            }
        } catch (IllegalArgumentException e) {
            IJ.error(title(), e.getMessage());
            if (form.fromMacro()) {
                ij.Macro.abort();
            }
        } catch (Exception e) {
            IJ.handleException(e);
            if (form.fromMacro()) {
                ij.Macro.abort();
            }
        }
    }

    /** Runs the command on the given options without windows (scripts and tests). */
    public Outcome runMacro(String options, ImagePlus current, java.util.function.Function<String, ImagePlus> images)
            throws Exception {
        Form form = Form.parsing(title(), options, images);
        declare(form, current);
        form.show();
        return execute(form, current);
    }

    static boolean headless() {
        return GraphicsEnvironment.isHeadless();
    }

    // Shared field declarations, so every bridge command spells the macro keys alike.

    static final String[] METHODS = CommandSupport.METHODS.split(",");
    static final String[] DEVICES = {"auto", "cpu", "gpu"};

    static final String RHO = "Rho (PnP-ADMM, PnP-DRS, PnP-HQS; x ||A||^2)";
    /** The CT dialog's label: its default 0 means "by model" (same macro key, rho). */
    static final String RHO_BY_MODEL = "Rho (PnP-ADMM, PnP-DRS, PnP-HQS; x ||A||^2; 0 = by model)";

    static void solverFields(Form f, String[] methods, String defaultMethod, int iterations) {
        solverFields(f, methods, defaultMethod, iterations, RHO, 1);
    }

    /** As above with another label and default for the penalty rho (x ||A||^2). */
    static void solverFields(Form f, String[] methods, String defaultMethod, int iterations, String rhoLabel,
            double rho) {
        f.choice("Method", methods, defaultMethod);
        List<String> models = Models.solverChoices();
        f.choice("Model", models.toArray(new String[0]), models.get(0));
        f.string("Model_file (for 'from file...')", "");
        f.number("Iterations", iterations, 0);
        f.number("Tolerance (relative residual)", 1e-5, 6);
        f.number("Lambda (TV, Tikhonov, RED)", 0.01, 4);
        f.number(rhoLabel, rho, 3);
        f.choice("Device", DEVICES, "auto");
    }

    static Jobs.Solve solve(Form f, String methodOverride) {
        return solve(f, methodOverride, RHO);
    }

    static Jobs.Solve solve(Form f, String methodOverride, String rhoLabel) {
        String file = f.text("Model_file (for 'from file...')");
        return new Jobs.Solve(CommandSupport.method(methodOverride != null ? methodOverride : f.text("Method")),
                f.integer("Iterations"), f.number("Tolerance (relative residual)"),
                f.number("Lambda (TV, Tikhonov, RED)"), f.number(rhoLabel),
                f.text("Model"),
                file == null || file.isBlank() ? null : new java.io.File(file), f.text("Device"));
    }

    static void referenceFields(Form f) {
        f.imageChoice("Reference (for PSNR/SSIM)", true, Form.NONE);
        f.checkbox("Plot convergence", false);
    }
}
