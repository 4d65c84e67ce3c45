package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The acceptance check of issue 18 at scale: recall@10 against the exact scan over 10,000 users on a
 * generated catalog of 1,000,000 items (dim 64), default settings, at least 0.95. Minutes of CPU for the
 * single-threaded graph build, so only with {@code -Dclcrec.longTests=true}.
 */
@EnabledIfSystemProperty(named = "clcrec.longTests", matches = "true")
class HnswLongRecallTest {
    @Test
    void recallAtTenOverTenThousandUsersAtOneMillionItems() {
        int items = 1_000_000;
        int users = 10_000;
        int dim = 64;
        ClusteredVectors gen = new ClusteredVectors(dim, 13);
        float[][] rows = new float[items][];
        for (int i = 0; i < items; i++) {
            rows[i] = gen.item(i);
        }
        long t0 = System.nanoTime();
        HnswIndex index = HnswIndex.build(dim, items, r -> rows[r], HnswConfig.DEFAULTS);
        double buildS = (System.nanoTime() - t0) / 1e9;
        ColumnScan exact = new ColumnScan(rows);
        double sum = 0;
        for (int u = 0; u < users; u++) {
            float[] q = gen.user(u);
            sum += ExactTopK.recall(exact.top(q, 10), index.search(q, 10, null).rows());
        }
        double recall = sum / users;
        System.out.printf("recall@10 over %d users at %d items: %.4f (build %.0f s)%n", users, items, recall, buildS);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }
}
