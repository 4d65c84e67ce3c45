package dev.clcrec.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Range checks of command-line values, each failing as a usage error that names the flag, the
 * value and the accepted range, before any data is read or memory allocated. The upper bounds are
 * far above any useful value and exist so that a typo (an extra few zeros) fails here instead of
 * as an allocation failure deep in the engine that names no flag.
 */
final class FlagChecks {
    /** Widest embedding accepted; the paper uses 64. */
    static final int MAX_DIM_E = 8192;
    static final int MAX_LR_DECAYS = 10;
    static final int MAX_BATCH_SIZE = 1 << 20;
    static final int MAX_NUM_NEG = 1 << 16;
    /** Rows of one training step (batch_size x (1 + num_neg)). */
    static final long MAX_STEP_ROWS = 1L << 24;
    static final int MAX_THREADS = 1024;
    static final int MAX_WORKERS = 256;
    static final int MAX_K = 1_000_000;

    private final CommandSpec spec;

    FlagChecks(CommandSpec spec) {
        this.spec = spec;
    }

    FlagChecks intRange(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw fail(flag, Long.toString(value), "must be in " + min + ".." + max);
        }
        return this;
    }

    FlagChecks positiveFinite(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw fail(flag, Double.toString(value), "must be a positive finite number");
        }
        return this;
    }

    FlagChecks nonNegativeFinite(String flag, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw fail(flag, Double.toString(value), "must be >= 0 and finite");
        }
        return this;
    }

    /** Each value of a list flag (null: not given). */
    FlagChecks nonNegativeFinite(String flag, double[] values) {
        if (values != null) {
            for (double v : values) {
                nonNegativeFinite(flag, v);
            }
        }
        return this;
    }

    FlagChecks unitInterval(String flag, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw fail(flag, Double.toString(value), "must be in [0, 1]");
        }
        return this;
    }

    /** [0, 1): a decay, where 1 would never move. */
    FlagChecks halfOpenUnitInterval(String flag, double value) {
        if (!(value >= 0 && value < 1)) {
            throw fail(flag, Double.toString(value), "must be in [0, 1)");
        }
        return this;
    }

    FlagChecks eachInRange(String flag, int[] values, long min, long max) {
        for (int v : values) {
            intRange(flag, v, min, max);
        }
        return this;
    }

    /**
     * A file name to create inside {@code dir}: not empty, no folder part, no "..", so that the
     * file lands in dir and nowhere else. {@code emptyOk} for prefixes.
     */
    FlagChecks fileNameIn(String flag, String name, Path dir, boolean emptyOk) {
        if (name == null || (name.isEmpty() && !emptyOk)) {
            throw fail(flag, "''", "must be a file name");
        }
        if (name.isEmpty()) {
            return this;
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.equals(".") || name.equals("..")) {
            throw fail(flag, "'" + name + "'", "must be a plain file name inside --out " + dir
                    + " (no folders, no '..')");
        }
        return this;
    }

    ParameterException fail(String flag, String value, String rule) {
        return new ParameterException(spec.commandLine(), flag + " " + value + ": " + rule);
    }
}
