package dev.clcrec.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HybridGroupsTest {
    private static final ItemSets TRAIN = SamplingTestData.randomSets(40, 150, 25, 11);
    private static final int NEG = 7;
    private static final int GROUP = NEG + 1;

    private static long[] hybridRows(SamplingConfig cfg, long epoch, long index, Arena arena) {
        TrainingPairs pairs = TrainingPairs.of(TRAIN);
        BatchFiller filler = new BatchFiller(pairs, new NegativeSampler(120, NEG, TRAIN, pairs), cfg);
        Batch batch = new Batch(arena, cfg);
        int[] order = java.util.stream.IntStream.range(0, pairs.size()).toArray();
        filler.fill(batch, epoch, index, order, filler.sampler().newScratch());
        return batch.hybridRowsArray();
    }

    @Test
    void wholeGroupsAreDrawnWithoutReplacement() {
        try (Arena arena = Arena.ofConfined()) {
            for (double fraction : new double[] {0.25, 0.5, 1.0}) {
                SamplingConfig cfg = new SamplingConfig(16, NEG, fraction, 3, 0, false, true);
                long[] rows = hybridRows(cfg, 0, 1, arena);
                int groups = (int) Math.floor(16 * fraction);
                assertEquals((long) groups * GROUP, rows.length, "rows of " + groups + " groups at " + fraction);
                assertTrue(rows.length <= cfg.hybridCount(16L * GROUP), "more rows than the batch reserves");
                Set<Long> starts = new HashSet<>();
                for (int g = 0; g < groups; g++) {
                    long first = rows[g * GROUP];
                    assertEquals(0, first % GROUP, "a group starts at its positive");
                    for (int r = 0; r < GROUP; r++) {
                        assertEquals(first + r, rows[g * GROUP + r], "group " + g + " is not whole");
                    }
                    assertTrue(starts.add(first), "group drawn twice");
                    assertTrue(first < 16L * GROUP);
                }
            }
        }
    }

    @Test
    void theDrawFollowsTheBatchSeed() {
        try (Arena arena = Arena.ofConfined()) {
            SamplingConfig cfg = new SamplingConfig(16, NEG, 0.5, 3, 0, false, true);
            assertArrayEquals(hybridRows(cfg, 2, 1, arena), hybridRows(cfg, 2, 1, arena));
            assertFalse(Arrays.equals(hybridRows(cfg, 2, 1, arena), hybridRows(cfg, 3, 1, arena)));
        }
    }

    @Test
    void theSamplingKeyTellsGroupsFromRows() {
        SamplingConfig rows = new SamplingConfig(16, NEG, 0.5, 3, 0, false);
        assertNotEquals(dev.clcrec.train.Trainer.samplingKey(rows),
                dev.clcrec.train.Trainer.samplingKey(new SamplingConfig(16, NEG, 0.5, 3, 0, false, true)));
        assertFalse(dev.clcrec.train.Trainer.samplingKey(rows).contains("hybrid"), "old checkpoints keep their key");
    }
}
