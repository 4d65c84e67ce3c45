package dev.clcrec.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clcrec} command line: the only place that prints. */
@Command(name = "clcrec", mixinStandardHelpOptions = true, version = "clcrec 0.1.0",
        description = "CLCRec cold-start recommender (LibTorch engine, Java front end).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, RecommendCommand.class, EmbedItemsCommand.class,
                ExportCommand.class, ServeCommand.class,
                dev.clcrec.data.prepare.PrepareCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: one of "
                + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // the plot is drawn off-screen, never in a window
        LogSetup.configure();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush(); // System.exit does not flush a PrintWriter's buffer
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code (0 ok, 1 failure, 2 usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // Errors from bad data or bad values are the user's to fix: show the message, not a stack trace.
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            line.getErr().println("error: " + message(e));
            if (Boolean.getBoolean("clcrec.debug")) {
                e.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(run with -Dclcrec.debug=true for the stack trace)");
            }
            line.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        Throwable c = e;
        while ((m == null || m.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            m = c.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
