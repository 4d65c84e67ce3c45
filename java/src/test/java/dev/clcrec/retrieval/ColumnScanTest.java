package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The blocked exact scan (the 1M test's ground truth, the benchmarks' baseline) against the plain one. */
class ColumnScanTest {
    @Test
    void oneAndManyQueriesGiveThePlainScansTopTen() {
        ClusteredVectors gen = new ClusteredVectors(64, 3);
        float[][] rows = new float[3_001][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = gen.item(i);
        }
        rows[2_000] = rows[17].clone(); // a tie: the lower row first
        ColumnScan scan = new ColumnScan(rows);
        float[][] q = new float[20][];
        for (int u = 0; u < q.length; u++) {
            q[u] = gen.user(u);
        }
        q[5] = rows[17].clone();
        int[][] many = scan.top(q, 10);
        for (int u = 0; u < q.length; u++) {
            int[] plain = ExactTopK.top(rows, rows.length, q[u], 10, null);
            assertArrayEquals(plain, scan.top(q[u], 10), "query " + u);
            assertArrayEquals(plain, many[u], "query " + u + " in a batch");
        }
    }
}
