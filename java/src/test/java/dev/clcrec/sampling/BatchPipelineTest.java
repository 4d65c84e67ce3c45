package dev.clcrec.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPipelineTest {
    private static final ItemSets TRAIN = SamplingTestData.randomSets(40, 150, 25, 11);

    private static List<long[]> epoch(int workers, long seed, long epoch, long firstBatch) throws InterruptedException {
        SamplingConfig cfg = new SamplingConfig(16, 7, 0.5, seed, workers, false);
        TrainingPairs pairs = TrainingPairs.of(TRAIN);
        BatchFiller filler = new BatchFiller(pairs, new NegativeSampler(120, 7, TRAIN, pairs), cfg);
        List<long[]> out = new ArrayList<>();
        try (BatchPipeline p = new BatchPipeline(filler)) {
            p.runEpoch(epoch, firstBatch, b -> {
                long[] u = b.usersArray();
                long[] i = b.itemsArray();
                long[] h = b.hybridRowsArray();
                long[] all = new long[u.length + i.length + h.length + 1];
                all[0] = b.index();
                System.arraycopy(u, 0, all, 1, u.length);
                System.arraycopy(i, 0, all, 1 + u.length, i.length);
                System.arraycopy(h, 0, all, 1 + u.length + i.length, h.length);
                out.add(all);
            });
        }
        return out;
    }

    @Test
    void batchesDoNotDependOnWorkerCount() throws InterruptedException {
        List<long[]> sync = epoch(0, 5, 3, 0);
        for (int w : new int[] {1, 2, 3}) {
            List<long[]> par = epoch(w, 5, 3, 0);
            assertEquals(sync.size(), par.size());
            for (int i = 0; i < sync.size(); i++) {
                assertArrayEquals(sync.get(i), par.get(i), "batch " + i + " with " + w + " workers");
            }
        }
    }

    @Test
    void resumingMidEpochGivesTheSameTail() throws InterruptedException {
        List<long[]> full = epoch(2, 5, 1, 0);
        List<long[]> tail = epoch(2, 5, 1, 3);
        assertEquals(full.size() - 3, tail.size());
        for (int i = 0; i < tail.size(); i++) {
            assertArrayEquals(full.get(i + 3), tail.get(i));
        }
    }

    @Test
    void epochsAndSeedsDiffer() throws InterruptedException {
        assertFalse(Arrays.equals(epoch(1, 5, 1, 0).get(0), epoch(1, 5, 2, 0).get(0)));
        assertFalse(Arrays.equals(epoch(1, 5, 1, 0).get(0), epoch(1, 6, 1, 0).get(0)));
    }

    @Test
    void everyPairAppearsOncePerEpochWithValidNegativesAndHybridRows() throws InterruptedException {
        List<long[]> batches = epoch(2, 9, 0, 0);
        TrainingPairs pairs = TrainingPairs.of(TRAIN);
        List<Long> seen = new ArrayList<>();
        int total = 0;
        for (long[] all : batches) {
            // layout: index, users (B), items (B*8), hybrid (floor(B*8*0.5) = 4B)
            int size = (all.length - 1) / (1 + 8 + 4);
            total += size;
            for (int k = 0; k < size; k++) {
                long user = all[1 + k];
                long pos = all[1 + size + 8 * k];
                seen.add(user * 1000 + pos);
                assertTrue(TRAIN.contains((int) user, (int) pos), "positive is not a training pair");
                for (int n = 1; n < 8; n++) {
                    long neg = all[1 + size + 8 * k + n];
                    assertFalse(TRAIN.contains((int) user, (int) neg));
                    assertTrue(neg < 120);
                }
            }
            for (int h = 0; h < 4 * size; h++) {
                long row = all[1 + size + 8 * size + h];
                assertTrue(row >= 0 && row < 8L * size, "hybrid row " + row + " out of range");
            }
        }
        assertEquals(pairs.size(), total);
        assertEquals(pairs.size(), seen.stream().distinct().count(), "a pair was visited twice");
    }

    @Test
    void workerFailureSurfacesInTheConsumer() {
        SamplingConfig cfg = new SamplingConfig(16, 7, 0.5, 1, 2, false);
        TrainingPairs pairs = TrainingPairs.of(TRAIN);
        NegativeSampler sampler = new NegativeSampler(120, 7, TRAIN, pairs);
        TrainingPairs bad = new TrainingPairs(pairs.users().clone(), pairs.items().clone());
        // the last pair's user is outside the sampler's rows: the worker filling it fails
        bad.users()[bad.size() - 1] = 10_000;
        BatchFiller filler = new BatchFiller(bad, sampler, cfg);
        try (BatchPipeline p = new BatchPipeline(filler)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.runEpoch(0, 0, b -> {}));
            assertTrue(e.getMessage().contains("batch sampling failed"));
        }
    }
}
