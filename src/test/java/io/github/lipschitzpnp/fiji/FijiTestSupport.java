package io.github.lipschitzpnp.fiji;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.Cancelable;
import java.util.List;
import org.scijava.module.process.LoadInputsPreprocessor;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.module.process.SaveInputsPreprocessor;
import org.scijava.plugin.PluginService;

/**
 * Runs a command headless the way a script does: the CommandService finds it, the ModuleService
 * runs it with pre- and postprocessing (the commands are DynamicCommands, for which
 * CommandService.run returns no Future).
 */
final class FijiTestSupport {

    private FijiTestSupport() {
    }

    private static Context context;

    /** One headless context for all Fiji tests (starting one costs seconds). */
    static synchronized Context context() {
        if (context == null) {
            context = new Context(CommandService.class);
        }
        return context;
    }

    static Module run(Class<? extends Command> c, Object... inputs) throws Exception {
        return run(context(), c, inputs);
    }

    static Module run(Context context, Class<? extends Command> c, Object... inputs) throws Exception {
        CommandInfo info = context.service(CommandService.class).getCommand(c);
        if (info == null) {
            throw new AssertionError("CommandService does not know " + c.getName() + " (plugin index missing?)");
        }
        // All pre- and postprocessing except loading and saving remembered parameter values, so a
        // test never depends on (or changes) what an earlier run left in the user's preferences.
        PluginService plugins = context.service(PluginService.class);
        List<PreprocessorPlugin> pre = plugins.createInstancesOfType(PreprocessorPlugin.class).stream()
                .filter(p -> !(p instanceof LoadInputsPreprocessor || p instanceof SaveInputsPreprocessor)).toList();
        List<PostprocessorPlugin> post = plugins.createInstancesOfType(PostprocessorPlugin.class);
        ModuleService modules = context.service(ModuleService.class);
        return modules.run(modules.createModule(info), pre, post, inputs).get();
    }

    static boolean canceled(Module m) {
        return ((Cancelable) m).isCanceled();
    }

    static String cancelReason(Module m) {
        return ((Cancelable) m).getCancelReason();
    }
}
