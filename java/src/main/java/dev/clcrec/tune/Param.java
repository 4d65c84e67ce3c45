package dev.clcrec.tune;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One searched hyper-parameter: its name (the train flag without dashes, e.g. {@code l_r}) and the
 * distribution its values are drawn from.
 */
public sealed interface Param {
    String name();

    /** Draws a value. */
    double sample(SplittableRandom random);

    /** Whether a plot should put this parameter on a logarithmic axis. */
    default boolean logScale() {
        return false;
    }

    /** Values spread evenly in log space between {@code low} and {@code high} (both > 0). */
    record LogUniform(String name, double low, double high) implements Param {
        public LogUniform {
            if (!(low > 0 && high >= low && Double.isFinite(high))) {
                throw new IllegalArgumentException(name + ": log_uniform needs 0 < low <= high, got [" + low + ", "
                        + high + "]");
            }
        }

        @Override
        public double sample(SplittableRandom random) {
            return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
        }

        @Override
        public boolean logScale() {
            return true;
        }
    }

    /** Values spread evenly between {@code low} and {@code high}. */
    record Uniform(String name, double low, double high) implements Param {
        public Uniform {
            if (!(Double.isFinite(low) && Double.isFinite(high) && high >= low)) {
                throw new IllegalArgumentException(name + ": uniform needs finite low <= high, got [" + low + ", "
                        + high + "]");
            }
        }

        @Override
        public double sample(SplittableRandom random) {
            return low + random.nextDouble() * (high - low);
        }
    }

    /** One of a list of values, each equally likely. */
    record Choice(String name, List<Double> values) implements Param {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException(name + ": choice needs at least one value");
            }
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + ": choice values must be finite numbers, got " + v);
                }
            }
        }

        @Override
        public double sample(SplittableRandom random) {
            return values.get(random.nextInt(values.size()));
        }
    }
}
