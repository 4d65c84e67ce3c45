package dev.clcrec.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {
    private static long[] draw(NegativeSampler s, int user, long seed) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG, s.numNeg());
            s.sample(user, new SplittableRandom(seed), s.newScratch(), out, 0);
            return out.toArray(ValueLayout.JAVA_LONG);
        }
    }

    @Test
    void stampedAndSearchedRowsGiveTheDrawsOfPlainRejection() {
        // rows of 0 .. 700 items among 4,000 warm ones; a row is stamped up to 4 * num_neg *
        // log2(row) items and binary-searched beyond: with 20 negatives every row here is stamped,
        // with 2 those of 60 items and more are searched. Either way the draws must be plain
        // rejection's, draw for draw.
        int numWarm = 4000;
        int[] lengths = {0, 1, 5, 20, 60, 124, 125, 126, 300, 500, 700};
        long[] offsets = new long[lengths.length + 1];
        for (int u = 0; u < lengths.length; u++) {
            offsets[u + 1] = offsets[u] + lengths[u];
        }
        int[] cols = new int[(int) offsets[lengths.length]];
        SplittableRandom pick = new SplittableRandom(3);
        for (int u = 0; u < lengths.length; u++) {
            int[] row = pick.ints(0, numWarm + 50).distinct().limit(lengths[u]).sorted().toArray();
            System.arraycopy(row, 0, cols, (int) offsets[u], row.length);
        }
        ItemSets train = new ItemSets(offsets, cols);
        for (int numNeg : new int[] {2, 20}) {
            NegativeSampler s = new NegativeSampler(numWarm, numNeg, train, TrainingPairs.of(train));
            for (int u = 0; u < lengths.length; u++) {
                Set<Integer> excluded = new HashSet<>();
                for (long p = offsets[u]; p < offsets[u + 1]; p++) {
                    excluded.add(cols[(int) p]);
                }
                for (long seed = 0; seed < 50; seed++) {
                    SplittableRandom rng = new SplittableRandom(seed);
                    Set<Integer> chosen = new HashSet<>();
                    long[] expected = new long[numNeg];
                    for (int got = 0; got < numNeg; ) {
                        int c = rng.nextInt(numWarm);
                        if (!excluded.contains(c) && chosen.add(c)) {
                            expected[got++] = c;
                        }
                    }
                    assertArrayEquals(expected, draw(s, u, seed),
                            numNeg + " negatives, user with " + lengths[u] + " items, seed " + seed);
                }
            }
        }
    }

    @Test
    void negativesAreDistinctWarmAndNeverTheUsersItems() {
        ItemSets train = SamplingTestData.randomSets(50, 120, 60, 1);
        int numWarm = 100;
        NegativeSampler s = new NegativeSampler(numWarm, 30, train, TrainingPairs.of(train));
        for (int u = 0; u < 50; u++) {
            for (long seed = 0; seed < 20; seed++) {
                long[] neg = draw(s, u, seed);
                Set<Long> seen = new HashSet<>();
                for (long c : neg) {
                    assertTrue(c >= 0 && c < numWarm, "negative " + c + " is not a warm item");
                    assertFalse(train.contains(u, (int) c), "user " + u + " got its own item " + c);
                    assertTrue(seen.add(c), "duplicate negative " + c);
                }
                assertEquals(30, seen.size());
            }
        }
    }

    @Test
    void denseUserUsesComplementAndStaysCorrect() {
        // user 0 has 90 of 100 warm items: only 10 are left, all must be drawn
        int[] cols = java.util.stream.IntStream.range(5, 95).toArray();
        ItemSets train = new ItemSets(new long[] {0, cols.length}, cols);
        int free = 100 - cols.length;
        NegativeSampler s = new NegativeSampler(100, free, train, TrainingPairs.of(train));
        long[] neg = draw(s, 0, 7);
        Set<Long> seen = new HashSet<>();
        for (long c : neg) {
            assertFalse(train.contains(0, (int) c));
            assertTrue(seen.add(c));
        }
        assertEquals(free, seen.size());
    }

    @Test
    void longRowsUseBinarySearchAndStayCorrect() {
        // 300 items excluded, 5 negatives: a row longer than 4 * numNeg * log2(row) = 180 takes the binary-search path
        int[] cols = new int[300];
        for (int i = 0; i < 300; i++) {
            cols[i] = 2 * i;
        }
        ItemSets train = new ItemSets(new long[] {0, 300}, cols);
        NegativeSampler s = new NegativeSampler(1000, 5, train, TrainingPairs.of(train));
        for (long seed = 0; seed < 200; seed++) {
            for (long c : draw(s, 0, seed)) {
                assertFalse(c < 600 && c % 2 == 0, "excluded item " + c + " drawn");
            }
        }
    }

    @Test
    void drawIsUniformOverAllowedItems() {
        ItemSets train = new ItemSets(new long[] {0, 3}, new int[] {1, 4, 7});
        int numWarm = 20;
        NegativeSampler s = new NegativeSampler(numWarm, 4, train, TrainingPairs.of(train));
        int[] counts = new int[numWarm];
        int trials = 20_000;
        NegativeSampler.Scratch scratch = s.newScratch();
        SplittableRandom rng = new SplittableRandom(3);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG, 4);
            for (int t = 0; t < trials; t++) {
                s.sample(0, rng, scratch, out, 0);
                for (long c : out.toArray(ValueLayout.JAVA_LONG)) {
                    counts[(int) c]++;
                }
            }
        }
        double expected = trials * 4.0 / 17;
        double chi2 = 0;
        for (int i = 0; i < numWarm; i++) {
            if (i == 1 || i == 4 || i == 7) {
                assertEquals(0, counts[i]);
            } else {
                chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        // 16 degrees of freedom: the 99.9% quantile is 39.3
        assertTrue(chi2 < 39.3, "counts not uniform, chi2=" + chi2);
    }

    @Test
    void sameStreamGivesSameNegativesWhateverTheScratchHistory() {
        ItemSets train = SamplingTestData.randomSets(10, 200, 30, 2);
        NegativeSampler s = new NegativeSampler(200, 50, train, TrainingPairs.of(train));
        long[] fresh = draw(s, 3, 42);
        NegativeSampler.Scratch used = s.newScratch();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG, 50);
            for (int u = 0; u < 10; u++) {
                s.sample(u, new SplittableRandom(u), used, out, 0);
            }
            s.sample(3, new SplittableRandom(42), used, out, 0);
            assertArrayEquals(fresh, out.toArray(ValueLayout.JAVA_LONG));
        }
        assertFalse(java.util.Arrays.equals(fresh, draw(s, 3, 43)), "different seeds gave the same draw");
    }

    @Test
    void tooFewFreeItemsIsAClearError() {
        ItemSets train = new ItemSets(new long[] {0, 3}, new int[] {0, 1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NegativeSampler(10, 8, train, TrainingPairs.of(train)));
        assertTrue(e.getMessage().contains("num_neg=8") && e.getMessage().contains("user 0"), e.getMessage());
    }

    @Test
    void unionMergesRows() {
        ItemSets a = new ItemSets(new long[] {0, 2, 2}, new int[] {1, 5});
        ItemSets b = new ItemSets(new long[] {0, 2, 3}, new int[] {0, 5, 9});
        ItemSets u = ItemSets.union(a, b);
        assertArrayEquals(new long[] {0, 3, 4}, u.offsets());
        assertArrayEquals(new int[] {0, 1, 5, 9}, u.columns());
        assertThrows(IllegalArgumentException.class, () -> new ItemSets(new long[] {0, 2}, new int[] {3, 3}));
    }

    @Test
    void fewestCandidatesIsTheTightestUsersWarmItemsLeft() {
        // numWarm 5; user 0 holds warm 0, 1 and cold 6 (3 left); user 1 nothing (ignored); user 2 warm 0..3 (1 left).
        ItemSets sets = new ItemSets(new long[] {0, 3, 3, 7}, new int[] {0, 1, 6, 0, 1, 2, 3});
        assertEquals(1, NegativeSampler.fewestCandidates(5, sets));
        assertEquals(Integer.MAX_VALUE, NegativeSampler.fewestCandidates(5, new ItemSets(new long[] {0, 0}, new int[0])));
    }
}
