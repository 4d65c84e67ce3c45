package dev.clcrec.api;

import dev.clcrec.eval.EvidenceProfile;
import dev.clcrec.eval.EvidenceRow;
import dev.clcrec.eval.FusionCalibration;
import dev.clcrec.retrieval.HnswIndex;
import dev.clcrec.retrieval.Hits;
import dev.clcrec.state.ItemContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What can be recommended at one moment: the first {@link #size} rows of an {@link ItemStore}
 * minus the rows removed at or before {@link #version}. Immutable as far as its readers can tell
 * (the store only changes past its size or after its version), so a reader works on one consistent
 * catalog from start to end and never waits for a writer; the {@link Recommender} publishes a new
 * one after each change with one atomic reference swap.
 *
 * <p>Vectors are stored as one array per dimension and block, so that scoring one user is, block
 * by block, {@code dimE} passes of a multiply-add over contiguous floats; the sum runs over
 * dimensions in order, exactly as a plain dot product would. Scores and columns are indexed by the
 * same row, which is what lets C2 vectorise the pass.
 */
final class Catalog {
    final ServingModel model;
    final ItemStore store;
    final ItemStore.Block[] blocks;
    final int size;
    final long version;
    final int removedRows;      // tombstoned rows below size
    final int nextDense;

    Catalog(ServingModel model, ItemStore store, int size, long version, int removedRows, int nextDense) {
        this.model = model;
        this.store = store;
        this.blocks = store.blocks();
        this.size = size;
        this.version = version;
        this.removedRows = removedRows;
        this.nextDense = nextDense;
    }

    /** Every item of the model in a fresh store, nothing added or removed. */
    static Catalog of(ServingModel m) {
        ItemStore store = new ItemStore(m.dimE, m.numItem);
        for (int i = 0; i < m.numItem; i++) {
            store.append(m.itemIds.get(i), i, i >= m.numWarmItem, m.items, i * m.dimE, null,
                    m.evidence == null || i < m.numWarmItem ? null : m.evidence.modelItem(i));
        }
        return new Catalog(m, store, store.size(), 0, 0, m.numItem);
    }

    /** Number of items that can be recommended. */
    int liveCount() {
        return size - removedRows;
    }

    boolean alive(int row) {
        return row < size && blocks[row / ItemStore.ROWS].removedAt[row % ItemStore.ROWS] > version;
    }

    /** The live row of an id, or -1. */
    int rowOf(String id) {
        Integer row = id == null ? null : store.rowOfId.get(id);
        return row != null && alive(row) ? row : -1;
    }

    boolean contains(String id) {
        return rowOf(id) >= 0;
    }

    String id(int row) {
        return blocks[row / ItemStore.ROWS].ids[row % ItemStore.ROWS];
    }

    int dense(int row) {
        return blocks[row / ItemStore.ROWS].dense[row % ItemStore.ROWS];
    }

    boolean cold(int row) {
        return blocks[row / ItemStore.ROWS].cold[row % ItemStore.ROWS];
    }

    /** Copies row's ranking vector into {@code out} at {@code offset}. */
    void vector(int row, float[] out, int offset) {
        blocks[row / ItemStore.ROWS].copyRow(row % ItemStore.ROWS, out, offset);
    }

    /** Writes row's ranking vector into native {@code out} from float index {@code offset} on. */
    void vector(int row, java.lang.foreign.MemorySegment out, long offset) {
        ItemStore.Block b = blocks[row / ItemStore.ROWS];
        int r = row % ItemStore.ROWS;
        for (int k = 0; k < model.dimE; k++) {
            out.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, offset + k, b.columns[k][r]);
        }
    }

    /** The runtime-added items alive here, in the order they were added. */
    List<ItemContent> addedItems() {
        List<ItemContent> out = new ArrayList<>();
        for (int row = 0; row < size; row++) {
            ItemStore.Block b = blocks[row / ItemStore.ROWS];
            int r = row % ItemStore.ROWS;
            if (b.content[r] != null && b.removedAt[r] > version) {
                out.add(b.content[r]);
            }
        }
        return out;
    }

    /** Ids of the model's own items removed here (whether or not an item of the same id was added since). */
    List<String> removedModelItems() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < model.numItem; i++) {
            int row = store.rowOfModelItem[i];
            if (row < 0 || !alive(row)) {
                out.add(model.itemIds.get(i));
            }
        }
        return out;
    }

    /** Each thread's score array, reused across requests (one block's worth). */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[ItemStore.ROWS]);

    /**
     * Top-{@code k} rows for a user vector, best first (ties to the lower dense id), skipping the
     * given rows (ascending) and the rows the filter leaves out.
     */
    List<Recommendation> recommend(float[] user, int userOffset, int[] excluded, int k, ItemFilter filter) {
        return recommend(user, userOffset, excluded, k, filter, null);
    }

    /**
     * One user's content evidence on cold rows: a cold row's score is {@code user.fuse(model score,
     * profile.score(evidence))} (FusionCalibration.User); warm rows keep the model's score.
     */
    record ColdFusion(FusionCalibration.User user, EvidenceProfile profile) {}

    /** As above, with cold rows' scores fused as {@code fusion} says (null: the model's scores). */
    List<Recommendation> recommend(float[] user, int userOffset, int[] excluded, int k, ItemFilter filter,
                                   ColdFusion fusion) {
        float[] s = SCRATCH.get();
        int nextExcluded = 0;
        int kk = Math.min(k, Math.max(1, liveCount()));
        int[] topRow = new int[kk];
        float[] topScore = new float[kk];
        int[] topDense = new int[kk];
        int count = 0;
        float bar = Float.NEGATIVE_INFINITY; // once k rows are held, a row must reach the k-th score
        for (int b0 = 0; b0 < size; b0 += ItemStore.ROWS) {
            ItemStore.Block block = blocks[b0 / ItemStore.ROWS];
            if (filter == ItemFilter.COLD && block.coldRows == 0) {
                continue;
            }
            int rows = Math.min(ItemStore.ROWS, size - b0);
            score(user, userOffset, block, rows, s);
            if (fusion != null && block.coldRows > 0) {
                fuseCold(fusion, block, rows, s);
            }
            for (int r = 0; r < rows; r++) {
                float v = s[r];
                if (v < bar) {
                    continue; // nearly every row once the list is full: keep this test first and cheap
                }
                int row = b0 + r;
                if (block.removedAt[r] <= version) {
                    continue;
                }
                while (nextExcluded < excluded.length && excluded[nextExcluded] < row) {
                    nextExcluded++;
                }
                boolean cold = block.cold[r];
                if ((nextExcluded < excluded.length && excluded[nextExcluded] == row)
                        || (filter == ItemFilter.WARM && cold) || (filter == ItemFilter.COLD && !cold)) {
                    continue;
                }
                int dense = block.dense[r];
                if (count == kk && !better(v, dense, topScore[kk - 1], topDense[kk - 1])) {
                    continue;
                }
                int pos = count == kk ? kk - 1 : count++;
                while (pos > 0 && better(v, dense, topScore[pos - 1], topDense[pos - 1])) {
                    topScore[pos] = topScore[pos - 1];
                    topRow[pos] = topRow[pos - 1];
                    topDense[pos] = topDense[pos - 1];
                    pos--;
                }
                topScore[pos] = v;
                topRow[pos] = row;
                topDense[pos] = dense;
                if (count == kk) {
                    bar = topScore[kk - 1];
                }
            }
        }
        List<Recommendation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Recommendation(topDense[i], id(topRow[i]), topScore[i]));
        }
        return out;
    }

    /**
     * As {@link #recommend}, through the store's graph index (which must be attached): the same
     * exclusions and filter, applied during the walk, and the same scores (candidates are re-scored
     * with the in-order dot product the scan computes) and order (rows ascend with dense ids, so ties
     * go the same way). Only which rows the walk reaches is approximate.
     */
    List<Recommendation> recommendIndexed(HnswIndex index, int efSearch, float[] user, int userOffset, int[] excluded,
                                          int k, ItemFilter filter) {
        float[] query = Arrays.copyOfRange(user, userOffset, userOffset + model.dimE);
        Hits hits = index.search(query, k, row -> alive(row) && Arrays.binarySearch(excluded, row) < 0
                && (filter == ItemFilter.ALL || cold(row) == (filter == ItemFilter.COLD)), efSearch);
        List<Recommendation> out = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            int row = hits.rows()[i];
            out.add(new Recommendation(dense(row), id(row), hits.scores()[i]));
        }
        return out;
    }

    /**
     * {@code s[r] = user . item(r)} for a block's rows, summed over dimensions in order (four
     * dimensions per pass, each added separately, so the result is bit-for-bit the plain dot product's).
     */
    private void score(float[] u, int ub, ItemStore.Block block, int rows, float[] s) {
        int d = model.dimE;
        float[][] columns = block.columns;
        Arrays.fill(s, 0, rows, 0f);
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
            for (int r = 0; r < rows; r++) {
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
            for (int r = 0; r < rows; r++) {
                s[r] += x * c[r];
            }
        }
    }

    /** Replaces the cold rows' scores with their fusion with the profile's evidence on them. */
    private static void fuseCold(ColdFusion fusion, ItemStore.Block block, int rows, float[] s) {
        EvidenceProfile p = fusion.profile();
        for (int r = 0; r < rows; r++) {
            if (block.cold[r]) { // a model that fuses gives every cold row its evidence
                s[r] = fusion.user().fuse(s[r], p.score(block.evidence[r]));
            }
        }
    }

    /**
     * The content evidence of a row added at runtime, when the model fuses content evidence; null for
     * the model's own items, whose evidence the model keeps by dense id.
     */
    EvidenceRow addedEvidence(int row) {
        ItemStore.Block b = blocks[row / ItemStore.ROWS];
        int r = row % ItemStore.ROWS;
        return b.content[r] == null ? null : b.evidence[r];
    }

    /** The rows of the model user's training items still here, ascending. */
    int[] trainingRows(int user) {
        var train = model.train;
        int from = (int) train.offsets()[user];
        int to = (int) train.offsets()[user + 1];
        int[] rows = new int[to - from];
        int m = 0;
        for (int p = from; p < to; p++) {
            int row = store.rowOfModelItem[train.columns()[p]];
            if (row >= 0 && row < size) {
                rows[m++] = row;
            }
        }
        return Arrays.copyOf(rows, m);
    }

    private static boolean better(float score, int dense, float otherScore, int otherDense) {
        return score > otherScore || (score == otherScore && dense < otherDense);
    }
}
