package io.github.lipschitzpnp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lpnp} command-line tool. Every subcommand writes human-readable text to stderr and,
 * with {@code --json}, one JSON object as the last line of stdout.
 */
@Command(name = "lpnp", mixinStandardHelpOptions = true,
        versionProvider = Lpnp.Version.class,
        description = "Plug-and-play image reconstruction with certified 1-Lipschitz ResNet denoisers.",
        subcommands = {BenchCommand.class, CertifyCommand.class, DeconvolveCommand.class, DemoCommand.class, DenoiseCommand.class,
            InfoCommand.class, InpaintCommand.class, PaperCommand.class, PsfCommand.class, ReconstructCommand.class,
            ResultsCommand.class, SimulateCommand.class,
            TrainCommand.class, TrainRegulariserCommand.class,
            CommandLine.HelpCommand.class})
public final class Lpnp implements Runnable {

    /** Exit code for bad input (wrong option, unreadable file, invalid model): the user can fix it. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for an unexpected internal failure. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Builds the command line with the project's error handling; used by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Lpnp());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserInputException || ex instanceof io.github.lipschitzpnp.image.ImageFileException
                    || ex instanceof io.github.lipschitzpnp.model.ModelFileException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return EXIT_FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** Version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Lpnp.class.getPackage().getImplementationVersion();
            return new String[] {"lpnp " + (v == null ? "development" : v)};
        }
    }
}
