package dev.clcrec.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clcrec} command line: the only place that prints. */
@Command(name = "clcrec", mixinStandardHelpOptions = true, version = "clcrec 0.1.0",
        description = "CLCRec cold-start recommender (LibTorch engine, Java front end).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, RecommendCommand.class, EmbedItemsCommand.class,
                dev.clcrec.data.prepare.PrepareCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, also print its stack trace.")
    boolean verbose;

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
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || Boolean.getBoolean("clcrec.debug");
        // A failure on a sampler or other background thread is reported like any other: one line.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            err.println("error: " + message(e) + " (thread " + t.getName() + ")");
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
        });
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
            report(e, line.getErr(), verbose(parse));
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // Errors bypass picocli's handler; they still get one line, not a JVM trace.
            report(e, err, java.util.Arrays.asList(args).contains("--verbose"));
            return 1;
        }
    }

    /** One line naming the problem (the trace only with --verbose or -Dclcrec.debug=true). */
    private static void report(Throwable e, PrintWriter err, boolean verbose) {
        String what = e instanceof OutOfMemoryError ? "out of memory (" + message(e) + "); try smaller --batch_size, "
                + "--dim_E or --step" : e instanceof StackOverflowError ? "stack overflow (input nested too deeply?)"
                : message(e);
        err.println("error: " + what);
        if (verbose || Boolean.getBoolean("clcrec.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    private static boolean verbose(CommandLine.ParseResult parse) {
        for (CommandLine.ParseResult p = parse; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        Throwable c = e;
        while ((m == null || m.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            m = c.getMessage();
        }
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // A library's message can be long and multi-line (a dump of its input); the user gets one line.
        String line = m.strip().lines().findFirst().orElse(m);
        return line.length() <= 2000 ? line : line.substring(0, 2000) + "...";
    }
}
