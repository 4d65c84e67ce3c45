package dev.clcrec.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sums Precision, Recall, NDCG and Hit at several cutoffs over users, from each user's ranked list
 * and held-out items, with the reference's formulas:
 * Precision@K = hits / K; Recall@K = hits / #positives;
 * NDCG@K = sum over hits at 0-based rank i of 1/log2(i+2), divided by the same sum over the first
 * min(#positives, K) ranks; Hit@K = 1 when the top K hold at least one positive, else 0 (so its
 * average is the share of users with a hit).
 *
 * <p>Not thread-safe; merge per-thread accumulators with {@link #addAll}.
 */
public final class MetricAccumulator {
    private final int[] ks;
    private final double[] precision;
    private final double[] recall;
    private final double[] ndcg;
    private final long[] hitUsers;
    private long users;

    /** @param ks cutoffs, each >= 1 */
    public MetricAccumulator(int[] ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("no cutoffs K given");
        }
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("cutoff K must be >= 1, got " + k);
            }
        }
        this.ks = ks.clone();
        this.precision = new double[ks.length];
        this.recall = new double[ks.length];
        this.ndcg = new double[ks.length];
        this.hitUsers = new long[ks.length];
    }

    /**
     * Adds one user: {@code ranked[from .. from+length)} is the ranked list (best first; -1 marks
     * an empty tail), {@code positives[pFrom .. pTo)} the user's held-out items sorted ascending.
     * A user without positives is not counted, as in the reference.
     */
    public void add(long[] ranked, int from, int length, int[] positives, int pFrom, int pTo) {
        int numPos = pTo - pFrom;
        if (numPos == 0) {
            return;
        }
        users++;
        for (int c = 0; c < ks.length; c++) {
            int k = ks[c];
            if (k > length) {
                throw new IllegalArgumentException("ranked list of length " + length + " is shorter than K=" + k);
            }
            int hits = 0;
            double dcg = 0;
            for (int i = 0; i < k; i++) {
                long item = ranked[from + i];
                if (item >= 0 && item <= Integer.MAX_VALUE
                        && Arrays.binarySearch(positives, pFrom, pTo, (int) item) >= 0) {
                    hits++;
                    dcg += 1.0 / log2(i + 2);
                }
            }
            double idcg = 0;
            for (int i = 0; i < Math.min(numPos, k); i++) {
                idcg += 1.0 / log2(i + 2);
            }
            precision[c] += (double) hits / k;
            recall[c] += (double) hits / numPos;
            ndcg[c] += dcg / idcg;
            if (hits > 0) {
                hitUsers[c]++;
            }
        }
    }

    /** Adds another accumulator's sums (same cutoffs). */
    public void addAll(MetricAccumulator other) {
        if (!Arrays.equals(ks, other.ks)) {
            throw new IllegalArgumentException("cutoffs differ");
        }
        for (int c = 0; c < ks.length; c++) {
            precision[c] += other.precision[c];
            recall[c] += other.recall[c];
            ndcg[c] += other.ndcg[c];
            hitUsers[c] += other.hitUsers[c];
        }
        users += other.users;
    }

    public long users() {
        return users;
    }

    /** Length of {@link #writeSums}'s output: the per-cutoff sums and the user count. */
    public int sumsLength() {
        return 4 * ks.length + 1;
    }

    /** Writes the raw sums (for combining accumulators across processes) at {@code out[offset..]}. */
    public void writeSums(double[] out, int offset) {
        int n = ks.length;
        System.arraycopy(precision, 0, out, offset, n);
        System.arraycopy(recall, 0, out, offset + n, n);
        System.arraycopy(ndcg, 0, out, offset + 2 * n, n);
        for (int c = 0; c < n; c++) {
            out[offset + 3 * n + c] = hitUsers[c];
        }
        out[offset + 4 * n] = users;
    }

    /** Replaces the sums by those at {@code in[offset..]}, as {@link #writeSums} lays them out. */
    public void readSums(double[] in, int offset) {
        int n = ks.length;
        System.arraycopy(in, offset, precision, 0, n);
        System.arraycopy(in, offset + n, recall, 0, n);
        System.arraycopy(in, offset + 2 * n, ndcg, 0, n);
        for (int c = 0; c < n; c++) {
            hitUsers[c] = Math.round(in[offset + 3 * n + c]);
        }
        users = Math.round(in[offset + 4 * n]);
    }

    /** Averages per cutoff (zeros when no user was counted). */
    public SortedMap<Integer, MetricValues> averages() {
        TreeMap<Integer, MetricValues> out = new TreeMap<>();
        for (int c = 0; c < ks.length; c++) {
            double n = Math.max(1, users);
            out.put(ks[c], new MetricValues(precision[c] / n, recall[c] / n, ndcg[c] / n, hitUsers[c] / n));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
