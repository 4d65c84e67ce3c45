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
 * on a clustered, low-rank generated catalog, with the default settings, for 2,000 users; and the same
 * with the warm/cold filters applied during the search. The 1M-item, 10,000-user check is
 * {@link HnswLongRecallTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HnswRecallTest {
    static final int ITEMS = 86_506;
    static final int USERS = 2_000;
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
        double recall = meanRecall(null);
        System.out.printf("recall@10 over %d users at %d items: %.4f%n", USERS, ITEMS, recall);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void warmFilterIsAppliedDuringTheSearchAndKeepsRecall() {
        IntPredicate warm = r -> r < FIRST_COLD;
        double recall = meanRecall(warm);
        assertTrue(recall >= 0.95, "warm recall@10 " + recall);
    }

    @Test
    void coldFilterNeverReturnsAWarmItemAndKeepsRecall() {
        IntPredicate cold = r -> r >= FIRST_COLD;
        double recall = meanRecall(cold);
        assertTrue(recall >= 0.95, "cold recall@10 " + recall);
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

    private double meanRecall(IntPredicate accept) {
        double sum = 0;
        for (int u = 0; u < USERS; u++) {
            float[] q = gen.user(u);
            int[] truth = ExactTopK.top(rows, ITEMS, q, 10, accept);
            Hits h = index.search(q, 10, accept);
            for (int r : h.rows()) {
                assertTrue(accept == null || accept.test(r), "row " + r + " was filtered out");
            }
            sum += ExactTopK.recall(truth, h.rows());
        }
        return sum / USERS;
    }
}
