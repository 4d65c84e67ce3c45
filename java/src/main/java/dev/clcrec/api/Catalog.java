package dev.clcrec.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of what can be recommended: the model's own items that have not been removed
 * plus the items added at runtime, with their ranking vectors. Every change builds a new snapshot
 * (copy on write) that the {@link Recommender} publishes with one atomic reference swap, so a reader
 * works on one consistent snapshot from start to end and never waits for a writer.
 *
 * <p>Vectors are stored as one array per dimension ({@code columns[d][row]}) so that scoring one user
 * is, block by block of rows, {@code dimE} passes of a multiply-add over contiguous floats; the sum runs
 * over dimensions in order, exactly as a plain dot product would. Scores and columns are indexed by the
 * same row, which is what lets C2 vectorise the pass: with one dimension-major array read at
 * {@code d * size + row} it could not rule out that the score array overlapped it and ran the loop
 * scalar, about five times slower at the MovieLens shape.
 */
final class Catalog {
    final ServingModel model;
    final int size;
    final float[][] columns;            // dimE arrays of size floats
    final String[] ids;
    final int[] dense;                  // row -> dense id; the model's items keep theirs, added ones continue
    final boolean[] cold;
    final int[] rowOfModelItem;         // model item -> row, or -1 once removed
    final Map<String, Integer> rowOfId;
    final List<NewItem> added;          // content of the runtime-added items still present, in order
    final Set<String> removedModelItems;
    final int nextDense;

    private Catalog(ServingModel model, int size, float[][] columns, String[] ids, int[] dense, boolean[] cold,
                    int[] rowOfModelItem, Map<String, Integer> rowOfId, List<NewItem> added,
                    Set<String> removedModelItems, int nextDense) {
        this.model = model;
        this.size = size;
        this.columns = columns;
        this.ids = ids;
        this.dense = dense;
        this.cold = cold;
        this.rowOfModelItem = rowOfModelItem;
        this.rowOfId = rowOfId;
        this.added = added;
        this.removedModelItems = removedModelItems;
        this.nextDense = nextDense;
        this.scratch = ThreadLocal.withInitial(() -> new float[size]);
    }

    /** Every item of the model, nothing added or removed. */
    static Catalog of(ServingModel m) {
        int n = m.numItem;
        int d = m.dimE;
        float[][] v = new float[d][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                v[k][i] = m.items[i * d + k];
            }
        }
        String[] ids = m.itemIds.toArray(String[]::new);
        int[] dense = new int[n];
        boolean[] cold = new boolean[n];
        int[] rowOf = new int[n];
        Map<String, Integer> rowOfId = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            dense[i] = i;
            rowOf[i] = i;
            cold[i] = i >= m.numWarmItem;
            rowOfId.put(ids[i], i);
        }
        return new Catalog(m, n, v, ids, dense, cold, rowOf, rowOfId, List.of(), Set.of(), n);
    }

    boolean contains(String id) {
        return rowOfId.containsKey(id);
    }

    /** A snapshot with {@code items} appended (cold), given their encoder output (rows x dimE). */
    Catalog with(List<NewItem> items, float[] encoded) {
        int d = model.dimE;
        int m = items.size();
        int n2 = size + m;
        float[][] v = new float[d][];
        for (int k = 0; k < d; k++) {
            v[k] = Arrays.copyOf(columns[k], n2);
            for (int r = 0; r < m; r++) {
                v[k][size + r] = encoded[r * d + k];
            }
        }
        String[] ids2 = Arrays.copyOf(ids, n2);
        int[] dense2 = Arrays.copyOf(dense, n2);
        boolean[] cold2 = Arrays.copyOf(cold, n2);
        Map<String, Integer> rowOfId2 = new HashMap<>(rowOfId);
        for (int r = 0; r < m; r++) {
            ids2[size + r] = items.get(r).id();
            dense2[size + r] = nextDense + r;
            cold2[size + r] = true;
            rowOfId2.put(items.get(r).id(), size + r);
        }
        List<NewItem> added2 = new ArrayList<>(added);
        added2.addAll(items);
        Set<String> removed2 = new HashSet<>(removedModelItems);
        items.forEach(it -> removed2.remove(it.id()));
        return new Catalog(model, n2, v, ids2, dense2, cold2, rowOfModelItem, Map.copyOf(rowOfId2),
                List.copyOf(added2), Set.copyOf(removed2), nextDense + m);
    }

    /** A snapshot without the given ids (all present). */
    Catalog without(Set<String> gone) {
        int d = model.dimE;
        int n2 = size - gone.size();
        int[] keep = new int[n2];
        int j = 0;
        for (int r = 0; r < size; r++) {
            if (!gone.contains(ids[r])) {
                keep[j++] = r;
            }
        }
        float[][] v = new float[d][n2];
        for (int k = 0; k < d; k++) {
            for (int r = 0; r < n2; r++) {
                v[k][r] = columns[k][keep[r]];
            }
        }
        String[] ids2 = new String[n2];
        int[] dense2 = new int[n2];
        boolean[] cold2 = new boolean[n2];
        int[] rowOf2 = new int[rowOfModelItem.length];
        Arrays.fill(rowOf2, -1);
        Map<String, Integer> rowOfId2 = new HashMap<>(n2 * 2);
        for (int r = 0; r < n2; r++) {
            ids2[r] = ids[keep[r]];
            dense2[r] = dense[keep[r]];
            cold2[r] = cold[keep[r]];
            rowOfId2.put(ids2[r], r);
            if (dense2[r] < model.numItem) {
                rowOf2[dense2[r]] = r;
            }
        }
        List<NewItem> added2 = added.stream().filter(it -> !gone.contains(it.id())).toList();
        Set<String> removed2 = new HashSet<>(removedModelItems);
        for (String id : gone) {
            if (added.stream().noneMatch(it -> it.id().equals(id))) {
                removed2.add(id);
            }
        }
        return new Catalog(model, n2, v, ids2, dense2, cold2, rowOf2, Map.copyOf(rowOfId2), added2,
                Set.copyOf(removed2), nextDense);
    }

    /**
     * Rows scored per block: a block's partial sums (2 KiB) stay in L1 while the {@code dimE} passes
     * run over it, instead of a catalog-sized array streaming through the cache once per dimension.
     */
    private static final int BLOCK = 512;

    /**
     * Each thread's score array for this snapshot, reused across requests: allocating one per request
     * (24 KB at the MovieLens shape) was most of the server's garbage at thousands of requests a
     * second. Per snapshot, so its size always matches; a replaced snapshot's arrays die with it.
     */
    private final ThreadLocal<float[]> scratch;

    /**
     * Top-{@code k} rows for a user, best first (ties to the lower dense id), skipping the user's
     * training items and the rows the filter leaves out.
     */
    List<Recommendation> recommend(int user, int k, ItemFilter filter) {
        int n = size;
        float[] s = scratch.get();
        int[] excluded = excludedRows(user);
        int nextExcluded = 0;
        int kk = Math.min(k, n);
        int[] topRow = new int[kk];
        float[] topScore = new float[kk];
        int count = 0;
        float bar = Float.NEGATIVE_INFINITY; // once k rows are held, a row must reach the k-th score
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int end = Math.min(n, r0 + BLOCK);
            score(user, r0, end, s);
            for (int r = r0; r < end; r++) {
                float v = s[r];
                if (v < bar) {
                    continue; // nearly every row once the list is full: keep this test first and cheap
                }
                while (nextExcluded < excluded.length && excluded[nextExcluded] < r) {
                    nextExcluded++;
                }
                if ((nextExcluded < excluded.length && excluded[nextExcluded] == r)
                        || (filter == ItemFilter.WARM && cold[r]) || (filter == ItemFilter.COLD && !cold[r])) {
                    continue;
                }
                if (count == kk && !better(v, dense[r], topScore[kk - 1], dense[topRow[kk - 1]])) {
                    continue;
                }
                int pos = count == kk ? kk - 1 : count++;
                while (pos > 0 && better(v, dense[r], topScore[pos - 1], dense[topRow[pos - 1]])) {
                    topScore[pos] = topScore[pos - 1];
                    topRow[pos] = topRow[pos - 1];
                    pos--;
                }
                topScore[pos] = v;
                topRow[pos] = r;
                if (count == kk) {
                    bar = topScore[kk - 1];
                }
            }
        }
        List<Recommendation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Recommendation(dense[topRow[i]], ids[topRow[i]], topScore[i]));
        }
        return out;
    }

    /**
     * {@code s[r] = user . item(r)} for rows {@code from..to-1}, summed over dimensions in order (four
     * dimensions per pass, each added separately, so the result is bit-for-bit the plain dot product's).
     */
    private void score(int user, int from, int to, float[] s) {
        float[] u = model.users;
        int d = model.dimE;
        int ub = user * d;
        for (int r = from; r < to; r++) {
            s[r] = 0f;
        }
        int kk = 0;
        for (; kk + 4 <= d; kk += 4) {
            float x0 = u[ub + kk];
            float x1 = u[ub + kk + 1];
            float x2 = u[ub + kk + 2];
            float x3 = u[ub + kk + 3];
            float[] c0 = columns[kk];
            float[] c1 = columns[kk + 1];
            float[] c2 = columns[kk + 2];
            float[] c3 = columns[kk + 3];
            for (int r = from; r < to; r++) {
                float t = s[r];
                t += x0 * c0[r];
                t += x1 * c1[r];
                t += x2 * c2[r];
                t += x3 * c3[r];
                s[r] = t;
            }
        }
        for (; kk < d; kk++) {
            float x = u[ub + kk];
            float[] c = columns[kk];
            for (int r = from; r < to; r++) {
                s[r] += x * c[r];
            }
        }
    }

    /** The catalog rows of the user's training items still present, ascending. */
    private int[] excludedRows(int user) {
        var train = model.train;
        int from = (int) train.offsets()[user];
        int to = (int) train.offsets()[user + 1];
        int[] rows = new int[to - from];
        int m = 0;
        for (int p = from; p < to; p++) {
            int row = rowOfModelItem[train.columns()[p]];
            if (row >= 0) {
                rows[m++] = row;
            }
        }
        rows = Arrays.copyOf(rows, m);
        Arrays.sort(rows); // rows follow dense ids today, but the merge above must not depend on it
        return rows;
    }

    private static boolean better(float score, int dense, float otherScore, int otherDense) {
        return score > otherScore || (score == otherScore && dense < otherDense);
    }
}
