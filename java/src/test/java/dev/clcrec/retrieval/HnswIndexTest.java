package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** Adds, removals, merges, filters and bad input of {@link HnswIndex}, on small generated catalogs. */
class HnswIndexTest {
    private static final int DIM = 64;
    private final ClusteredVectors gen = new ClusteredVectors(DIM, 5);

    private float[][] items(int from, int n) {
        float[][] v = new float[n][];
        for (int i = 0; i < n; i++) {
            v[i] = gen.item(from + i);
        }
        return v;
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void anAddedRowIsFoundByTheNextSearchWithoutAMerge() {
        float[][] rows = items(0, 5_000);
        HnswIndex index = HnswIndex.build(DIM, rows.length, r -> rows[r], HnswConfig.DEFAULTS);
        float[] q = gen.user(3);
        float[] best = q.clone();
        for (int j = 0; j < DIM; j++) {
            best[j] *= 100f; // far above every generated item along the query
        }
        index.add(5_000, best);
        assertEquals(1, index.tailSize());
        Hits h = index.search(q, 10, null);
        assertEquals(5_000, h.rows()[0]);
        index.merge();
        assertEquals(0, index.tailSize());
        assertEquals(5_001, index.graphSize());
        assertEquals(5_000, index.search(q, 10, null).rows()[0]);
    }

    @Test
    void aRemovedRowIsNeverReturnedBeforeOrAfterMerges() {
        float[][] rows = items(0, 6_000);
        HnswIndex index = HnswIndex.build(DIM, 5_000, r -> rows[r], HnswConfig.DEFAULTS);
        for (int r = 5_000; r < 6_000; r++) {
            index.add(r, rows[r]); // a tail, so that removals hit graph and tail rows
        }
        Set<Integer> gone = new HashSet<>();
        for (int u = 0; u < 40; u++) {
            for (int r : index.search(gen.user(u), 10, null).rows()) {
                if (gone.add(r)) {
                    assertTrue(index.remove(r));
                }
            }
        }
        assertTrue(gone.stream().anyMatch(r -> r >= 5_000) && gone.stream().anyMatch(r -> r < 5_000));
        assertFalse(index.remove(gone.iterator().next()), "second removal of the same row");
        IntPredicate live = r -> !gone.contains(r);
        checkNoneOf(index, gone, rows, live);
        index.merge(); // removed graph nodes stay as tombstones; removed tail rows are not inserted
        long goneFromTail = gone.stream().filter(r -> r >= 5_000).count();
        assertEquals(6_000 - goneFromTail, index.graphSize());
        checkNoneOf(index, gone, rows, live);
        index.rebuild();
        assertEquals(6_000 - gone.size(), index.graphSize());
        checkNoneOf(index, gone, rows, live);
    }

    private void checkNoneOf(HnswIndex index, Set<Integer> gone, float[][] rows, IntPredicate live) {
        double recall = 0;
        for (int u = 0; u < 200; u++) {
            float[] q = gen.user(u);
            int[] got = index.search(q, 10, null).rows();
            for (int r : got) {
                assertFalse(gone.contains(r), "removed row " + r + " returned");
            }
            recall += ExactTopK.recall(ExactTopK.top(rows, rows.length, q, 10, live), got);
        }
        assertTrue(recall / 200 >= 0.95, "recall@10 among the live rows " + recall / 200);
    }

    @Test
    void mergingATailKeepsRecall() {
        float[][] base = items(0, 15_000);
        float[][] more = items(15_000, 5_000);
        float[][] all = concat(base, more);
        HnswIndex index = HnswIndex.build(DIM, base.length, r -> base[r], HnswConfig.DEFAULTS);
        for (int i = 0; i < more.length; i++) {
            index.add(base.length + i, more[i]);
        }
        assertTrue(index.mergeDue(), "a tail past the limit asks for a merge");
        index.merge();
        assertFalse(index.mergeDue());
        assertEquals(20_000, index.graphSize());
        double recall = 0;
        for (int u = 0; u < 300; u++) {
            float[] q = gen.user(u);
            recall += ExactTopK.recall(ExactTopK.top(all, all.length, q, 10, null), index.search(q, 10, null).rows());
        }
        assertTrue(recall / 300 >= 0.95, "recall@10 after merging a tail " + recall / 300);
    }

    @Test
    void theTailAloneServesExactResultsBeforeAnyGraphExists() {
        float[][] rows = items(0, 500);
        HnswIndex index = HnswIndex.create(DIM, HnswConfig.DEFAULTS);
        for (int r = 0; r < rows.length; r++) {
            index.add(r, rows[r]);
        }
        assertEquals(0, index.graphSize());
        IntPredicate even = r -> r % 2 == 0;
        for (int u = 0; u < 20; u++) {
            float[] q = gen.user(u);
            assertArrayEquals(ExactTopK.top(rows, rows.length, q, 10, even), index.search(q, 10, even).rows());
        }
    }

    @Test
    void theCallersExactScoreRanksTheCandidates() {
        float[][] rows = items(0, 3_000);
        HnswIndex index = HnswIndex.build(DIM, rows.length, r -> rows[r], HnswConfig.DEFAULTS);
        float[] q = gen.user(1);
        // a caller whose exact score prefers high rows among the candidates reorders them
        Hits h = index.search(q, 5, null, 100, row -> row);
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.rows()[i - 1] > h.rows()[i]);
            assertEquals(h.rows()[i], (int) h.scores()[i]);
        }
    }

    @Test
    void equalScoresGoToTheLowerRow() {
        HnswIndex index = HnswIndex.create(4, HnswConfig.DEFAULTS);
        float[] same = {1f, 0f, 0f, 0f};
        for (int r = 0; r < 30; r++) {
            index.add(r, r % 3 == 0 ? same : new float[] {0f, 1f, 0f, 0f});
        }
        index.rebuild();
        assertArrayEquals(new int[] {0, 3, 6, 9}, index.search(same, 4, null).rows());
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        HnswIndex index = HnswIndex.create(DIM, HnswConfig.DEFAULTS);
        index.add(0, gen.item(0));
        var e = assertThrows(IllegalArgumentException.class, () -> index.add(5, gen.item(5)));
        assertTrue(e.getMessage().contains("row 5 is not the next row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.add(1, new float[3]));
        assertTrue(e.getMessage().contains("must have 64 floats, got 3"), e.getMessage());
        float[] nan = gen.item(1);
        nan[7] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> index.add(1, nan));
        assertTrue(e.getMessage().contains("non-finite value at 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[2], 10, null));
        assertTrue(e.getMessage().contains("query must have 64 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.search(gen.user(0), 0, null));
        assertTrue(e.getMessage().contains("k must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.remove(9));
        assertTrue(e.getMessage().contains("row 9 is not in the index"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HnswConfig.DEFAULTS.withGraph(1, 100));
        assertTrue(e.getMessage().contains("HnswConfig.maxConn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HnswConfig.DEFAULTS.withEfSearch(0));
        assertTrue(e.getMessage().contains("HnswConfig.efSearch"), e.getMessage());
    }

    @Test
    void bothGraphSpacesOrderQueryScoresAsTheDotProductAndAugmentedItemsAreUnitVectors() throws Exception {
        float[][] rows = items(0, 2_000);
        RowVectors store = new RowVectors(DIM);
        int[] ordToRow = new int[rows.length];
        float maxNormSq = 0;
        for (int r = 0; r < rows.length; r++) {
            store.append(rows[r], 0);
            ordToRow[r] = r;
            maxNormSq = Math.max(maxNormSq, store.squaredNorm(r));
        }
        for (GraphSpace space : GraphSpace.values()) {
            var scores = new GraphGeneration.Scores(store, space, ordToRow, (float) Math.sqrt(maxNormSq));
            for (int u = 0; u < 5; u++) {
                float[] q = gen.user(u);
                var byQuery = scores.forQuery(q);
                for (int a = 0; a + 1 < rows.length; a += 2) {
                    double da = ExactTopK.dot(q, rows[a]);
                    double db = ExactTopK.dot(q, rows[a + 1]);
                    if (Math.abs(da - db) > 1e-4 * (Math.abs(da) + Math.abs(db))) {
                        assertEquals(da > db, byQuery.score(a) > byQuery.score(a + 1), space + " rows " + a);
                    }
                }
            }
            if (space == GraphSpace.NORM_AUGMENTED) {
                var itemItem = scores.scorer();
                for (int a = 0; a < rows.length; a += 97) {
                    itemItem.setScoringOrdinal(a);
                    assertEquals(1f, itemItem.score(a), 1e-5f, "augmented row " + a + " is a unit vector");
                }
            }
        }
    }
}
