package dev.clcrec.sampling;

import java.util.Random;
import java.util.TreeSet;

/** Random per-user item sets for sampler tests. */
final class SamplingTestData {
    private SamplingTestData() {}

    /** {@code numUser} rows of up to {@code maxPerUser} distinct items in 0..numItem-1 (each row non-empty). */
    static ItemSets randomSets(int numUser, int numItem, int maxPerUser, long seed) {
        Random r = new Random(seed);
        long[] offsets = new long[numUser + 1];
        int[] cols = new int[numUser * maxPerUser];
        int n = 0;
        for (int u = 0; u < numUser; u++) {
            TreeSet<Integer> s = new TreeSet<>();
            int len = 1 + r.nextInt(maxPerUser);
            while (s.size() < len) {
                s.add(r.nextInt(numItem));
            }
            for (int i : s) {
                cols[n++] = i;
            }
            offsets[u + 1] = n;
        }
        return new ItemSets(offsets, java.util.Arrays.copyOf(cols, n));
    }
}
