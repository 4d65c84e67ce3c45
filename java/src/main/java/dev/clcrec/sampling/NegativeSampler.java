package dev.clcrec.sampling;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Draws, for one user, {@code numNeg} distinct items uniformly from the warm items
 * {@code 0..numWarm-1} that are not in the user's excluded set.
 *
 * <p>Immutable and shareable between threads; each thread brings its own {@link Scratch}. The
 * output depends only on the user and the random stream, never on the scratch's history, so the
 * same stream always yields the same negatives.
 */
public final class NegativeSampler {
    private final int numWarm;
    private final int numNeg;
    private final ItemSets excluded;
    private final int[] available;

    /**
     * @throws IllegalArgumentException when some user with training pairs has fewer than
     *     {@code numNeg} warm items left to draw from (the draw could never finish)
     */
    public NegativeSampler(int numWarm, int numNeg, ItemSets excluded, TrainingPairs pairs) {
        if (numWarm <= 0) {
            throw new IllegalArgumentException("no warm items to draw negatives from");
        }
        if (numNeg < 0) {
            throw new IllegalArgumentException("num_neg must be >= 0, got " + numNeg);
        }
        this.numWarm = numWarm;
        this.numNeg = numNeg;
        this.excluded = excluded;
        this.available = new int[excluded.numRows()];
        for (int u = 0; u < available.length; u++) {
            available[u] = numWarm - excluded.countBelow(u, numWarm);
        }
        for (int u : pairs.users()) {
            if (u < 0 || u >= available.length) {
                throw new IllegalArgumentException("training pair user " + u + " outside 0.." + (available.length - 1));
            }
            if (available[u] < numNeg) {
                throw new IllegalArgumentException("num_neg=" + numNeg + " but user " + u + " has only "
                        + available[u] + " of the " + numWarm
                        + " warm items left to draw distinct negatives from; lower --num_neg");
            }
        }
    }

    /**
     * The largest num_neg every user with excluded items can be served: the fewest warm items any
     * such user has left to draw from (Integer.MAX_VALUE when no user has any).
     */
    public static int fewestCandidates(int numWarm, ItemSets excluded) {
        int fewest = Integer.MAX_VALUE;
        for (int u = 0; u < excluded.numRows(); u++) {
            if (excluded.rowEnd(u) > excluded.rowStart(u)) {
                fewest = Math.min(fewest, numWarm - excluded.countBelow(u, numWarm));
            }
        }
        return fewest;
    }

    public int numNeg() {
        return numNeg;
    }

    public int numWarm() {
        return numWarm;
    }

    /** Per-thread working memory: an epoch-stamp array over the warm items. */
    public Scratch newScratch() {
        return new Scratch(numWarm);
    }

    /** Mutable per-thread state; never share one between threads. */
    public static final class Scratch {
        private final int[] stamp;
        private final int[] pool;
        private int current;

        Scratch(int numWarm) {
            this.stamp = new int[numWarm];
            this.pool = new int[numWarm];
        }

        // A fresh stamp marks "chosen or excluded for this draw" without clearing the array.
        int next() {
            if (++current == Integer.MAX_VALUE) {
                java.util.Arrays.fill(stamp, 0);
                current = 1;
            }
            return current;
        }
    }

    /**
     * Writes the negatives of one pair as int64 into {@code out} at element index {@code at}.
     */
    public void sample(int user, SplittableRandom rng, Scratch s, MemorySegment out, long at) {
        if (numNeg == 0) {
            return;
        }
        int[] stamp = s.stamp;
        int cur = s.next();
        int start = excluded.rowStart(user);
        int end = start + excluded.countBelow(user, numWarm);
        int[] cols = excluded.columns();
        // Rejection is cheap while most draws succeed; once the user's free items get scarce the
        // expected number of tries explodes, so enumerate them and take a partial shuffle instead.
        if ((long) (available[user] - numNeg) * 4 < numWarm) {
            sampleFromComplement(cols, start, end, rng, s, out, at);
            return;
        }
        // Stamp the user's items once, then one array lookup decides each candidate; only when the
        // row is far longer than the draws (about numNeg binary searches of log2(row) probes each,
        // every probe a likely branch miss) is searching it per candidate cheaper than stamping.
        int rowLength = end - start;
        boolean stamped = rowLength <= 4L * numNeg * (32 - Integer.numberOfLeadingZeros(rowLength));
        if (stamped) {
            for (int p = start; p < end; p++) {
                stamp[cols[p]] = cur;
            }
        }
        int got = 0;
        while (got < numNeg) {
            int c = rng.nextInt(numWarm);
            if (stamp[c] == cur) {
                continue;
            }
            if (!stamped && java.util.Arrays.binarySearch(cols, start, end, c) >= 0) {
                continue;
            }
            stamp[c] = cur;
            out.setAtIndex(ValueLayout.JAVA_LONG, at + got, c);
            got++;
        }
    }

    private void sampleFromComplement(int[] cols, int start, int end, SplittableRandom rng, Scratch s,
                                      MemorySegment out, long at) {
        int[] pool = s.pool;
        int n = 0;
        int p = start;
        for (int item = 0; item < numWarm; item++) {
            if (p < end && cols[p] == item) {
                p++;
            } else {
                pool[n++] = item;
            }
        }
        for (int i = 0; i < numNeg; i++) {
            int j = i + rng.nextInt(n - i);
            int chosen = pool[j];
            pool[j] = pool[i];
            pool[i] = chosen;
            out.setAtIndex(ValueLayout.JAVA_LONG, at + i, chosen);
        }
    }
}
