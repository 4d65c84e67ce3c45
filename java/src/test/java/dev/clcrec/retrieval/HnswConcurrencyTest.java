package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Searches on two threads while a writer adds and removes rows and the index merges its tail in the
 * background: no search fails, none returns a row removed before it started, and a row is found by
 * the first search that starts after its add returned.
 */
class HnswConcurrencyTest {
    private static final int DIM = 64;

    @Test
    void searchesDuringAddsRemovalsAndBackgroundMerges() throws Exception {
        ClusteredVectors gen = new ClusteredVectors(DIM, 9);
        int initial = 8_000;
        int added = 6_000;
        ExecutorService maintenance = Executors.newSingleThreadExecutor();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            HnswIndex index = HnswIndex.create(DIM, HnswConfig.DEFAULTS.withTailLimit(700), maintenance);
            for (int r = 0; r < initial; r++) {
                index.add(r, gen.item(r));
            }
            index.rebuild();
            // Every 10th added row is removed right after it was added; readers learn the removals that
            // completed through removedBefore (rows below it with r % 10 == 0 are gone) before searching.
            AtomicInteger removedBefore = new AtomicInteger(initial);
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong searches = new AtomicLong();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int seed = t;
                work.add(readers.submit(() -> {
                    int u = seed * 100_000;
                    while (!done.get()) {
                        int fence = removedBefore.get();
                        Hits h = index.search(gen.user(u++ % 5_000), 10, null);
                        for (int i = 0; i < h.size(); i++) {
                            int r = h.rows()[i];
                            if (r >= initial && r < fence && r % 10 == 0) {
                                throw new AssertionError("row " + r + " removed before the search started was returned");
                            }
                            if (i > 0 && h.scores()[i] > h.scores()[i - 1]) {
                                throw new AssertionError("not best first");
                            }
                        }
                        searches.incrementAndGet();
                    }
                    return null;
                }));
            }
            while (searches.get() < 20) {
                Thread.sleep(5);
            }
            long searchesBeforeWrites = searches.get();
            for (int r = initial; r < initial + added; r++) {
                float[] v = gen.item(r);
                index.add(r, v);
                if (r % 10 == 0) {
                    index.remove(r);
                    removedBefore.set(r + 1);
                } else if (r % 500 == 1) {
                    // the new row, made the unique best for a probe query, is found at once
                    float[] q = v.clone();
                    float[] top = v.clone();
                    for (int j = 0; j < DIM; j++) {
                        top[j] *= 1_000f;
                    }
                    index.remove(r);
                    index.add(r + 1, top);
                    removedBefore.set(r + 1);
                    assertEquals(r + 1, index.search(q, 1, null).rows()[0], "row added just before the search");
                    r++;
                }
            }
            long searchesDuringWrites = searches.get() - searchesBeforeWrites;
            done.set(true);
            for (Future<?> f : work) {
                f.get(2, TimeUnit.MINUTES); // rethrows a reader's failure
            }
            maintenance.submit(() -> { }).get(5, TimeUnit.MINUTES); // the last queued merge has run
            assertNull(index.lastMergeFailure());
            assertTrue(searchesDuringWrites > 0, "searches ran beside the writes: " + searchesDuringWrites);
            assertTrue(index.graphSize() > initial, "background merges folded tails into the graph: " + index.graphSize());
        } finally {
            readers.shutdownNow();
            maintenance.shutdownNow();
        }
    }
}
