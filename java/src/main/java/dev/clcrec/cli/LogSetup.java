package dev.clcrec.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes the library's System.Logger output for a terminal user: the CLI prints progress and
 * results itself, so the library's INFO records would only repeat them; warnings (deduplicated
 * rows, users skipped, ...) still show, one line each. {@code -Dclcrec.log=INFO} (or FINE) shows more.
 */
final class LogSetup {
    private LogSetup() {}

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the user brought their own logging configuration
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        Level level = Level.parse(System.getProperty("clcrec.log", "WARNING"));
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
    }
}
