package dev.clcrec.api;

import dev.clcrec.eval.EvidenceRow;
import dev.clcrec.retrieval.HnswIndex;
import dev.clcrec.state.ItemContent;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of the live catalog, append-only: fixed-size blocks of ranking vectors (one array per
 * dimension, as the scoring loop wants them) and row attributes, plus a tombstone per row. One
 * writer (the {@link Recommender}'s write lock) appends rows past the size that readers were given
 * and stamps removals with the version that makes them visible; readers work on a {@link Catalog}
 * (a size and a version over these blocks) and never see a row or a removal of a later version.
 * So adding or removing an item costs the same at any catalog size: nothing is copied but, now
 * and then, the array of block pointers (one pointer per {@value #ROWS} items).
 *
 * <p>Removed rows stay until {@link #compacted} copies the live rows into a new store, which the
 * writer does once tombstones are a quarter of the rows (so copying costs O(1) per removal,
 * amortised).
 *
 * <p>A store may carry an {@link HnswIndex} whose row {@code r} is this store's row {@code r}: once
 * {@link #attach attached} (by the writer, caught up to {@link #size}), every append and removal is
 * passed on to it, so it never lags the rows readers can see. A compacted store starts without one.
 */
final class ItemStore {
    /** Rows per block: one block's scores (2 KiB) stay in L1 while the dimensions are summed. */
    static final int ROWS = 512;
    static final long ALIVE = Long.MAX_VALUE;

    static final class Block {
        final float[][] columns;
        final String[] ids = new String[ROWS];
        final int[] dense = new int[ROWS];
        final boolean[] cold = new boolean[ROWS];
        final long[] removedAt = new long[ROWS];
        final ItemContent[] content = new ItemContent[ROWS]; // runtime-added rows only
        /** Cold rows' content evidence (ProfileEvidence's space) when the model fuses it, else null. */
        final EvidenceRow[] evidence = new EvidenceRow[ROWS];
        int coldRows;                                         // appended cold rows, removed or not

        Block(int dim) {
            columns = new float[dim][ROWS];
            Arrays.fill(removedAt, ALIVE);
        }

        /** Copies the ranking vector of this block's row {@code r} into {@code out} from {@code offset} on. */
        void copyRow(int r, float[] out, int offset) {
            for (int k = 0; k < columns.length; k++) {
                out[offset + k] = columns[k][r];
            }
        }
    }

    final int dim;
    /** Latest row of each id ever added (a removed id keeps its row until compaction). */
    final ConcurrentHashMap<String, Integer> rowOfId;
    /** Row of each of the model's own items (model item ids are their dense ids), or -1 when compacted away. */
    final int[] rowOfModelItem;
    /** True until compaction: row {@code i < numModelItems} is then the model's item {@code i}. */
    final boolean modelRowsFirst;
    private Block[] blocks;
    private int size;
    private volatile HnswIndex index;

    ItemStore(int dim, int numModelItems) {
        this(dim, numModelItems, true);
    }

    private ItemStore(int dim, int numModelItems, boolean modelRowsFirst) {
        this.dim = dim;
        this.modelRowsFirst = modelRowsFirst;
        this.rowOfId = new ConcurrentHashMap<>(Math.max(16, numModelItems * 2));
        this.rowOfModelItem = new int[numModelItems];
        Arrays.fill(rowOfModelItem, -1);
        this.blocks = new Block[Math.max(1, (numModelItems + ROWS - 1) / ROWS)];
    }

    Block[] blocks() {
        return blocks;
    }

    int size() {
        return size;
    }

    /**
     * Appends a row (invisible to readers until a catalog with a larger size is published).
     *
     * @param evidence a cold item's content evidence (ProfileEvidence's space) when the model fuses it,
     *                 else null (warm rows are model items, whose content the model keeps)
     */
    int append(String id, int dense, boolean cold, float[] vectors, int offset, ItemContent content,
               EvidenceRow evidence) {
        int row = size;
        int b = row / ROWS;
        if (b == blocks.length) {
            blocks = Arrays.copyOf(blocks, blocks.length * 2);
        }
        if (blocks[b] == null) {
            blocks[b] = new Block(dim);
        }
        Block block = blocks[b];
        int r = row % ROWS;
        for (int k = 0; k < dim; k++) {
            block.columns[k][r] = vectors[offset + k];
        }
        block.ids[r] = id;
        block.dense[r] = dense;
        block.cold[r] = cold;
        block.content[r] = content;
        block.evidence[r] = evidence;
        if (cold) {
            block.coldRows++;
        }
        rowOfId.put(id, row);
        if (content == null && dense < rowOfModelItem.length) {
            rowOfModelItem[dense] = row;
        }
        HnswIndex i = index;
        if (i != null) {
            i.add(row, vectors, offset);
        }
        size++;
        return row;
    }

    /** Marks a row removed as of {@code version} (readers of older versions still see it). */
    void remove(int row, long version) {
        blocks[row / ROWS].removedAt[row % ROWS] = version;
        HnswIndex i = index;
        if (i != null) {
            i.remove(row);
        }
    }

    /** Copies row's ranking vector into {@code out} from {@code offset} on. */
    void copyRow(int row, float[] out, int offset) {
        blocks[row / ROWS].copyRow(row % ROWS, out, offset);
    }

    boolean removed(int row) {
        return blocks[row / ROWS].removedAt[row % ROWS] != ALIVE;
    }

    /** The graph index over these rows, or null. */
    HnswIndex index() {
        return index;
    }

    /**
     * Makes {@code i} this store's index; by the writer only. Rows past the index's size are added to
     * it and rows removed here are removed from it first, so it covers exactly this store's rows.
     */
    void attach(HnswIndex i) {
        if (i.size() > size) {
            throw new IllegalArgumentException("index of " + i.size() + " rows for a store of " + size);
        }
        float[] v = new float[dim];
        for (int row = 0; row < i.size(); row++) {
            if (removed(row)) {
                i.remove(row);
            }
        }
        for (int row = i.size(); row < size; row++) {
            copyRow(row, v, 0);
            i.add(row, v);
            if (removed(row)) {
                i.remove(row);
            }
        }
        index = i;
    }

    /** A new store with only the rows alive at {@code version}, in the same order. */
    ItemStore compacted(long version) {
        ItemStore out = new ItemStore(dim, rowOfModelItem.length, false);
        float[] v = new float[dim];
        for (int row = 0; row < size; row++) {
            Block b = blocks[row / ROWS];
            int r = row % ROWS;
            if (b.removedAt[r] <= version) {
                continue;
            }
            b.copyRow(r, v, 0);
            out.append(b.ids[r], b.dense[r], b.cold[r], v, 0, b.content[r], b.evidence[r]);
        }
        return out;
    }
}
