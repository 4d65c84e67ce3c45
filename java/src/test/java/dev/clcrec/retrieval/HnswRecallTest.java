package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall@10 of the HNSW index against the exact scan at the paper's Amazon size (86,506 items, dim 64)
 * on a clustered, low-rank generated catalog, with the default settings, for 10,000 users (the issue's
 * acceptance); and the same with the warm/cold filters applied during the search. The 1M-item,
 * 10,000-user check is {@link HnswLongRecallTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HnswRecallTest {
    static final int ITEMS = 86_506;
    static final int USERS = 10_000;
    /** Users of the filtered checks: their ground truth is a scalar scan each, and the acceptance is unfiltered. */
    static final int FILTERED_USERS = 500;
    static final int DIM = 64;
    /** Rows from here on are "cold" (added from content), about 10% of the catalog as in CLCRec's splits. */
    static final int FIRST_COLD = 77_855;

    private ClusteredVectors gen;
    private float[][] rows;
    private HnswIndex index;

    @BeforeAll
    void build() {
        gen = new ClusteredVectors(DIM, 11);
        rows = new float[ITEMS][];
        for (int i = 0; i < ITEMS; i++) {
            rows[i] = gen.item(i);
        }
        index = HnswIndex.build(DIM, ITEMS, r -> rows[r], HnswConfig.DEFAULTS);
    }

    @Test
    void recallAtTenIsAtLeast095WithTheDefaults() {
        double recall = meanRecall(null, USERS, false);
        System.out.printf("recall@10 over %d users at %d items: %.4f%n", USERS, ITEMS, recall);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void warmFilterIsAppliedDuringTheWalkAndKeepsRecall() {
        IntPredicate warm = r -> r < FIRST_COLD;
        double recall = meanRecall(warm, FILTERED_USERS, false);
        assertTrue(recall >= 0.95, "warm recall@10 " + recall);
    }

    @Test
    void aFilterAcceptingHalfTheRowsIsWalkedWithOversamplingAndKeepsRecall() {
        IntPredicate even = r -> r % 2 == 0;
        double recall = meanRecall(even, FILTERED_USERS, false);
        assertTrue(recall >= 0.95, "even-row recall@10 " + recall);
    }

    @Test
    void coldFilterIsServedByScanningTheFewAcceptedRows() {
        // a tenth of the rows: the walk would visit more nodes than the filter accepts
        IntPredicate cold = r -> r >= FIRST_COLD;
        double recall = meanRecall(cold, FILTERED_USERS, true);
        assertEquals(1.0, recall, "the scan is exact");
    }

    @Test
    void resultsCarryTheExactScoresBestFirst() {
        for (int u = 0; u < 50; u++) {
            float[] q = gen.user(u);
            Hits h = index.search(q, 10, null);
            assertEquals(10, h.size());
            for (int i = 0; i < h.size(); i++) {
                assertEquals(ExactTopK.dot(q, rows[h.rows()[i]]), h.scores()[i], 0f, "bit-for-bit plain dot product");
                if (i > 0) {
                    assertTrue(h.scores()[i - 1] > h.scores()[i]
                            || (h.scores()[i - 1] == h.scores()[i] && h.rows()[i - 1] < h.rows()[i]));
                }
            }
        }
    }

    @Test
    void aFilterThatAcceptsFewRowsFallsBackToTheExactScan() {
        // 30 accepted rows out of 86,506: the walk would visit most of the graph to find ten of them
        IntPredicate rare = r -> r % 2_883 == 5;
        for (int u = 0; u < 20; u++) {
            float[] q = gen.user(u);
            Hits h = index.search(q, 10, rare);
            assertTrue(h.scanned(), "scanned");
            assertArrayEquals(ExactTopK.top(rows, ITEMS, q, 10, rare), h.rows());
        }
    }

    /**
     * Mean recall@10 over {@code users} users; {@code scanned}: every search must have scanned, else at
     * most a tenth may have (walks that reached their visit limit), the rest walked the graph.
     */
    private double meanRecall(IntPredicate accept, int users, boolean scanned) {
        double sum = 0;
        int scans = 0;
        for (int u = 0; u < users; u++) {
            float[] q = gen.user(u);
            int[] truth = ExactTopK.top(rows, ITEMS, q, 10, accept);
            Hits h = index.search(q, 10, accept);
            scans += h.scanned() ? 1 : 0;
            for (int r : h.rows()) {
                assertTrue(accept == null || accept.test(r), "row " + r + " was filtered out");
            }
            sum += ExactTopK.recall(truth, h.rows());
        }
        if (scanned) {
            assertEquals(users, scans, "searches that scanned");
        } else {
            assertTrue(scans <= users / 10, scans + " of " + users + " searches scanned instead of walking");
        }
        return sum / users;
    }
}
