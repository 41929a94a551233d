package io.github.lipschitzpnp.fiji;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.Cancelable;

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
        return context.service(ModuleService.class).run(info, true, inputs).get();
    }

    static boolean canceled(Module m) {
        return ((Cancelable) m).isCanceled();
    }

    static String cancelReason(Module m) {
        return ((Cancelable) m).getCancelReason();
    }
}
