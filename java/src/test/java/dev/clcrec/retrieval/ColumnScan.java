package dev.clcrec.retrieval;

/**
 * The exact scan the HNSW index is compared with (tests' ground truth at 1M items, benchmarks' baseline): the serving catalog's method (dev.clcrec.api.Catalog),
 * vectors stored one array per dimension and scored block by block of 512 rows, the partial sums staying
 * in L1 while the dimension passes run (four dimensions per pass, summed in order, so the scores are bit
 * for bit the plain dot product's), then a top-k insertion list, ties to the lower row.
 */
public final class ColumnScan {
    private static final int BLOCK = 512;

    private final int n;
    private final int dim;
    private final float[][] columns;

    public ColumnScan(float[][] rows) {
        n = rows.length;
        dim = rows[0].length;
        columns = new float[dim][n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < dim; k++) {
                columns[k][r] = rows[r][k];
            }
        }
    }

    /** The exact top {@code k} rows for {@code q}, best first. */
    public int[] top(float[] q, int k) {
        int[] topRow = new int[k];
        float[] topScore = new float[k];
        int count = 0;
        float bar = Float.NEGATIVE_INFINITY;
        float[] s = new float[BLOCK];
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int len = Math.min(BLOCK, n - r0);
            score(q, r0, len, s);
            for (int i = 0; i < len; i++) {
                float v = s[i];
                if (v < bar) {
                    continue;
                }
                int r = r0 + i;
                if (count == k && !(v > topScore[k - 1])) {
                    continue; // equal score: the row already held is lower
                }
                int pos = count == k ? k - 1 : count++;
                while (pos > 0 && v > topScore[pos - 1]) {
                    topScore[pos] = topScore[pos - 1];
                    topRow[pos] = topRow[pos - 1];
                    pos--;
                }
                topScore[pos] = v;
                topRow[pos] = r;
                if (count == k) {
                    bar = topScore[k - 1];
                }
            }
        }
        return java.util.Arrays.copyOf(topRow, count);
    }

    /**
     * The exact top {@code k} rows of each query, as {@link #top(float[], int)} gives them one by one, but
     * in one pass over the columns: each block of rows is scored for every query while it is in cache,
     * so a large catalog streams from memory once per call instead of once per query.
     */
    public int[][] top(float[][] queries, int k) {
        int m = queries.length;
        int[][] topRow = new int[m][k];
        float[][] topScore = new float[m][k];
        int[] count = new int[m];
        float[] s = new float[BLOCK];
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int len = Math.min(BLOCK, n - r0);
            for (int u = 0; u < m; u++) {
                score(queries[u], r0, len, s);
                int[] tr = topRow[u];
                float[] ts = topScore[u];
                for (int i = 0; i < len; i++) {
                    float v = s[i];
                    if (count[u] == k && !(v > ts[k - 1])) {
                        continue; // equal score: the row already held is lower
                    }
                    int pos = count[u] == k ? k - 1 : count[u]++;
                    while (pos > 0 && v > ts[pos - 1]) {
                        ts[pos] = ts[pos - 1];
                        tr[pos] = tr[pos - 1];
                        pos--;
                    }
                    ts[pos] = v;
                    tr[pos] = r0 + i;
                }
            }
        }
        for (int u = 0; u < m; u++) {
            topRow[u] = java.util.Arrays.copyOf(topRow[u], count[u]);
        }
        return topRow;
    }

    private void score(float[] q, int from, int len, float[] s) {
        java.util.Arrays.fill(s, 0, len, 0f);
        int kk = 0;
        for (; kk + 4 <= dim; kk += 4) {
            float x0 = q[kk];
            float x1 = q[kk + 1];
            float x2 = q[kk + 2];
            float x3 = q[kk + 3];
            float[] c0 = columns[kk];
            float[] c1 = columns[kk + 1];
            float[] c2 = columns[kk + 2];
            float[] c3 = columns[kk + 3];
            for (int i = 0; i < len; i++) {
                int r = from + i;
                float t = s[i];
                t += x0 * c0[r];
                t += x1 * c1[r];
                t += x2 * c2[r];
                t += x3 * c3[r];
                s[i] = t;
            }
        }
        for (; kk < dim; kk++) {
            float x = q[kk];
            float[] c = columns[kk];
            for (int i = 0; i < len; i++) {
                s[i] += x * c[from + i];
            }
        }
    }
}
