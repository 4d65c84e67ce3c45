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
        int batch = 50; // users scored per pass over the 256 MB of columns
        for (int u0 = 0; u0 < users; u0 += batch) {
            float[][] q = new float[Math.min(batch, users - u0)][];
            for (int i = 0; i < q.length; i++) {
                q[i] = gen.user(u0 + i);
            }
            int[][] truth = exact.top(q, 10);
            for (int i = 0; i < q.length; i++) {
                sum += ExactTopK.recall(truth[i], index.search(q[i], 10, null).rows());
            }
        }
        double recall = sum / users;
        System.out.printf("recall@10 over %d users at %d items: %.4f (build %.0f s)%n", users, items, recall, buildS);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }
}
