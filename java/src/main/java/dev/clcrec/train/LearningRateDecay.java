package dev.clcrec.train;

/**
 * Lowers the step size when training stops improving: after {@code patience} epochs without a
 * better selection value, the model goes back to its best epoch (weights, Adam moments and step
 * count) and trains on at {@code factor} times the step size, at most {@code times} times. The
 * stopping rule's patience then counts again from that epoch. Measured on CiteULike-t: the
 * selected model's validation Recall@10 over all items rose by 3 - 4 % (BENCHMARKS.md,
 * "A lower step size after the plateau").
 *
 * @param factor   multiplies the step size at each decay, in (0, 1)
 * @param patience epochs without a better value before a decay, at least 1
 * @param times    decays at most; 0 turns the schedule off
 */
public record LearningRateDecay(double factor, int patience, int times) {
    /** No decay: the step size stays the configured one, as in the reference. */
    public static final LearningRateDecay NONE = new LearningRateDecay(0.1, 1, 0);

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
    }

    public boolean enabled() {
        return times > 0;
    }

    /** The step size after {@code decays} decays of {@code base}. */
    public double stepSize(double base, int decays) {
        return base * Math.pow(factor, decays);
    }
}
