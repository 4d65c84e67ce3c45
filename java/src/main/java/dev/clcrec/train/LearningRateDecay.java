package dev.clcrec.train;

/**
 * Lowers the step size when training stops improving: after {@code patience} epochs without a
 * better selection value, the model goes back to its best epoch (weights, Adam moments and step
 * count) and trains on at {@code factor} times the step size, at most {@code times} times. The
 * stopping rule's patience then counts again from that epoch. Measured on CiteULike-t: the
 * selected model's validation Recall@10 over all items rose by 3 - 4 % (BENCHMARKS.md,
 * "A lower step size after the plateau").
 *
 * <p>No decay happens while the best epoch is earlier than {@code warmup}: a run whose best is still
 * its first epoch has not started to learn (at the paper's {@code --l_r 0.001} on real MovieLens the
 * validation recall dips for three epochs before it climbs), and going back there at a tenth of the
 * step size freezes it near its initialisation (measured: best validation Recall@10 0.042 against
 * 0.089 without the decay).
 *
 * @param factor   multiplies the step size at each decay, in (0, 1)
 * @param patience epochs without a better value before a decay, at least 1
 * @param times    decays at most; 0 turns the schedule off
 * @param warmup   the earliest best epoch a decay may go back to, at least 0
 */
public record LearningRateDecay(double factor, int patience, int times, int warmup) {
    /** No decay: the step size stays the configured one, as in the reference. */
    public static final LearningRateDecay NONE = new LearningRateDecay(0.1, 1, 0);
    /** The default warm-up: never back to the first epoch. */
    public static final int DEFAULT_WARMUP = 1;

    public LearningRateDecay {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("the decay factor must be in (0, 1), got " + factor);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("the decay patience must be >= 1, got " + patience);
        }
        if (times < 0) {
            throw new IllegalArgumentException("the number of decays must be >= 0, got " + times);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("the decay warm-up must be >= 0 epochs, got " + warmup);
        }
    }

    /** The schedule with the default warm-up ({@link #DEFAULT_WARMUP}). */
    public LearningRateDecay(double factor, int patience, int times) {
        this(factor, patience, times, DEFAULT_WARMUP);
    }

    public boolean enabled() {
        return times > 0;
    }

    /** Whether a decay may go back to {@code bestEpoch}. */
    public boolean pastWarmup(long bestEpoch) {
        return bestEpoch >= warmup;
    }

    /** The step size after {@code decays} decays of {@code base}. */
    public double stepSize(double base, int decays) {
        return base * Math.pow(factor, decays);
    }
}
