package dev.clcrec.eval;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;

/**
 * A {@link Ranker} in plain Java over a per-user score function: each user's scores are computed once
 * and ranked under every mask (ties to the lower id, as the native top-K). Subclasses must be
 * thread-safe: users are scored in parallel.
 */
public abstract class ScoreRanker implements Ranker {
    private final int numItem;

    protected ScoreRanker(int numItem) {
        if (numItem <= 0) {
            throw new IllegalArgumentException("no items to rank");
        }
        this.numItem = numItem;
    }

    public final int numItem() {
        return numItem;
    }

    /** Scores of one user against every item. */
    public abstract float[] scores(int user);

    @Override
    public void topK(MemorySegment userIds, long numUsers, MemorySegment excludeOffsets, MemorySegment excludeItems,
                     MemorySegment itemMasks, int numMasks, long k, MemorySegment outItems) {
        // Copy the inputs to the heap on the calling thread: the segments may be confined to it.
        int n = Math.toIntExact(numUsers);
        int kk = Math.toIntExact(k);
        long[] ids = userIds.asSlice(0, n * 8L).toArray(ValueLayout.JAVA_LONG);
        boolean perUser = excludeOffsets != null && !excludeOffsets.equals(MemorySegment.NULL);
        long[] offs = perUser ? excludeOffsets.asSlice(0, (n + 1) * 8L).toArray(ValueLayout.JAVA_LONG) : new long[n + 1];
        long[] excl = perUser && offs[n] > 0 ? excludeItems.asSlice(0, offs[n] * 8).toArray(ValueLayout.JAVA_LONG) : new long[0];
        boolean masked = itemMasks != null && !itemMasks.equals(MemorySegment.NULL);
        byte[] mask = masked ? itemMasks.asSlice(0, (long) numMasks * numItem).toArray(ValueLayout.JAVA_BYTE) : null;
        long[] result = new long[Math.multiplyExact(numMasks, Math.multiplyExact(n, kk))];
        IntStream.range(0, n).parallel().forEach(b -> {
            float[] s = scores(Math.toIntExact(ids[b]));
            boolean[] excluded = new boolean[numItem];
            for (long p = offs[b]; p < offs[b + 1]; p++) {
                excluded[Math.toIntExact(excl[(int) p])] = true;
            }
            int[] best = new int[kk];
            for (int m = 0; m < numMasks; m++) {
                int maskBase = m * numItem;
                int got = 0;
                for (int j = 0; j < numItem; j++) {
                    if (!excluded[j] && (mask == null || mask[maskBase + j] == 0)) {
                        got = insert(best, got, kk, j, s);
                    }
                }
                int base = (m * n + b) * kk;
                for (int i = 0; i < kk; i++) {
                    result[base + i] = i < got ? best[i] : -1L;
                }
            }
        });
        MemorySegment.copy(result, 0, outItems, ValueLayout.JAVA_LONG, 0, result.length);
    }

    // Keeps best[0..n) sorted by score descending, then id ascending; items arrive in id order,
    // so an equal score never displaces an earlier (lower) id.
    private static int insert(int[] best, int n, int k, int j, float[] s) {
        float v = s[j];
        if (n == k && !(v > s[best[k - 1]])) {
            return n;
        }
        int i = n == k ? k - 1 : n;
        while (i > 0 && v > s[best[i - 1]]) {
            best[i] = best[i - 1];
            i--;
        }
        best[i] = j;
        return n == k ? k : n + 1;
    }
}
