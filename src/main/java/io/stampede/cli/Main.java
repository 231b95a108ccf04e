package io.stampede.cli;

import io.stampede.ConsoleLog;
import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.guardian.Leftovers;
import io.stampede.http.UserHttpSession;
import io.stampede.os.OldGenerationBound;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The front door: {@code stampede <command> [options]}. */
@Command(name = "stampede",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Load test an HTTP service, inject faults while it runs, judge it against its SLOs.",
        subcommands = {RunCommand.class, DemoCommand.class, TargetCommand.class, ChaosCommand.class, ProxyCommand.class, ReportCommand.class,
                BudgetCommand.class, K8sCommand.class, WorkerCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (run, demo, target, chaos, proxy, report, budget, k8s)");
    }

    public static void main(String[] args) {
        ConsoleLog.install(); // before anything logs: one line per diagnostic, "stampede: ..."
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("demo"))) {
            UserHttpSession.prepareInBackground(); // while the command line and plan are read
            OldGenerationBound.install(); // users that wait promote garbage that Serial would keep to the maximum heap
        }
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("demo") || args[0].equals("chaos"))) {
            Leftovers.undo(System.err); // what a killed earlier run left changed
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; never throws for bad input. */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** The same, with picocli's output and error streams given (null: the console's). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        if (out != null) {
            commandLine.setOut(out);
        }
        if (err != null) {
            commandLine.setErr(err);
        }
        commandLine.setParameterExceptionHandler((ex, ignored) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(prefixed(ex.getMessage()));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.BAD_INPUT;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof StampedeException known) {
                cmd.getErr().println(prefixed(known.getMessage()));
                return known.exitCode();
            }
            throw ex;
        });
        return commandLine.execute(args);
    }

    /** A message for the console: every line starts with "stampede: ", so each reads on its own in a log. */
    static String prefixed(String message) {
        return String.join(System.lineSeparator(), message.lines().map(line -> "stampede: " + line).toList());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"stampede " + (version == null ? "(development build)" : version)};
        }
    }
}
