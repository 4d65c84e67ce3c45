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
 * <p>Vectors are stored dimension-major ({@code vectors[d * size + row]}) so that scoring one user is
 * {@code dimE} passes of a multiply-add over contiguous floats, which the JIT vectorises; the sum
 * runs over dimensions in order, exactly as a plain dot product would.
 */
final class Catalog {
    final ServingModel model;
    final int size;
    final float[] vectors;
    final String[] ids;
    final int[] dense;                  // row -> dense id; the model's items keep theirs, added ones continue
    final boolean[] cold;
    final int[] rowOfModelItem;         // model item -> row, or -1 once removed
    final Map<String, Integer> rowOfId;
    final List<NewItem> added;          // content of the runtime-added items still present, in order
    final Set<String> removedModelItems;
    final int nextDense;

    private Catalog(ServingModel model, int size, float[] vectors, String[] ids, int[] dense, boolean[] cold,
                    int[] rowOfModelItem, Map<String, Integer> rowOfId, List<NewItem> added,
                    Set<String> removedModelItems, int nextDense) {
        this.model = model;
        this.size = size;
        this.vectors = vectors;
        this.ids = ids;
        this.dense = dense;
        this.cold = cold;
        this.rowOfModelItem = rowOfModelItem;
        this.rowOfId = rowOfId;
        this.added = added;
        this.removedModelItems = removedModelItems;
        this.nextDense = nextDense;
    }

    /** Every item of the model, nothing added or removed. */
    static Catalog of(ServingModel m) {
        int n = m.numItem;
        int d = m.dimE;
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                v[k * n + i] = m.items[i * d + k];
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
        float[] v = new float[n2 * d];
        for (int k = 0; k < d; k++) {
            System.arraycopy(vectors, k * size, v, k * n2, size);
            for (int r = 0; r < m; r++) {
                v[k * n2 + size + r] = encoded[r * d + k];
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
        float[] v = new float[n2 * d];
        for (int k = 0; k < d; k++) {
            for (int r = 0; r < n2; r++) {
                v[k * n2 + r] = vectors[k * size + keep[r]];
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
     * Top-{@code k} rows for a user, best first (ties to the lower dense id), skipping the user's
     * training items and the rows the filter leaves out.
     */
    List<Recommendation> recommend(int user, int k, ItemFilter filter) {
        int d = model.dimE;
        int n = size;
        float[] s = new float[n];
        float[] u = model.users;
        int ub = user * d;
        for (int kk = 0; kk < d; kk++) {
            float x = u[ub + kk];
            int base = kk * n;
            for (int r = 0; r < n; r++) {
                s[r] += x * vectors[base + r];
            }
        }
        var train = model.train;
        for (long p = train.offsets()[user]; p < train.offsets()[user + 1]; p++) {
            int row = rowOfModelItem[train.columns()[(int) p]];
            if (row >= 0) {
                s[row] = Float.NaN; // marks an excluded row; real scores are finite
            }
        }
        int kk = Math.min(k, n);
        int[] topRow = new int[kk];
        float[] topScore = new float[kk];
        int count = 0;
        for (int r = 0; r < n; r++) {
            float v = s[r];
            if (Float.isNaN(v) || (filter == ItemFilter.WARM && cold[r]) || (filter == ItemFilter.COLD && !cold[r])) {
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
        }
        List<Recommendation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Recommendation(dense[topRow[i]], ids[topRow[i]], topScore[i]));
        }
        return out;
    }

    private static boolean better(float score, int dense, float otherScore, int otherDense) {
        return score > otherScore || (score == otherScore && dense < otherDense);
    }
}
