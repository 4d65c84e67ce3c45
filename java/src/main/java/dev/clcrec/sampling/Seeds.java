package dev.clcrec.sampling;

/**
 * Derives independent random streams from the user's seed.
 *
 * <p>Every batch gets its own stream, keyed by (seed, epoch, batch index), so the batches an epoch
 * produces do not depend on which worker thread fills them or in which order: training is
 * reproducible for a seed whatever the number of workers.
 */
public final class Seeds {
    /** Stream index used for the per-epoch shuffle (batch indices are never negative). */
    public static final long SHUFFLE_STREAM = -1L;

    private Seeds() {}

    /** A well-mixed 64-bit seed for one stream; distinct inputs give unrelated outputs. */
    public static long stream(long seed, long epoch, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ (epoch * 0xBF58476D1CE4E5B9L));
        return mix(h ^ (index * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL));
    }

    // SplitMix64's finaliser: a bijection with good avalanche, so nearby keys land far apart.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
