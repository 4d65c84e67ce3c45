package dev.clcrec.sampling;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-user sets of item ids in CSR form: row {@code u} is {@code columns[offsets[u] .. offsets[u+1])},
 * sorted ascending without duplicates. The sampler uses it for the items a user must never get
 * as a negative.
 *
 * @param offsets {@code numRows + 1} row starts, the first 0 and non-decreasing
 * @param columns item ids
 */
public record ItemSets(long[] offsets, int[] columns) {
    public ItemSets {
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(columns, "columns");
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != columns.length) {
            throw new IllegalArgumentException("offsets must start at 0 and end at columns.length ("
                    + columns.length + ")");
        }
        for (int u = 0; u + 1 < offsets.length; u++) {
            if (offsets[u + 1] < offsets[u]) {
                throw new IllegalArgumentException("offsets decrease at row " + u);
            }
            for (long p = offsets[u] + 1; p < offsets[u + 1]; p++) {
                if (columns[(int) p] <= columns[(int) p - 1]) {
                    throw new IllegalArgumentException("row " + u + " is not sorted ascending without duplicates");
                }
            }
        }
    }

    public int numRows() {
        return offsets.length - 1;
    }

    public int rowStart(int row) {
        return (int) offsets[row];
    }

    public int rowEnd(int row) {
        return (int) offsets[row + 1];
    }

    /** Whether {@code item} is in row {@code row} (binary search). */
    public boolean contains(int row, int item) {
        return Arrays.binarySearch(columns, rowStart(row), rowEnd(row), item) >= 0;
    }

    /** Number of items of {@code row} smaller than {@code bound}. */
    public int countBelow(int row, int bound) {
        int pos = Arrays.binarySearch(columns, rowStart(row), rowEnd(row), bound);
        return (pos >= 0 ? pos : -pos - 1) - rowStart(row);
    }

    /**
     * Row-wise union of several sets with the same number of rows: used for the reference mode,
     * which keeps a user's validation and test items out of the negatives as well.
     */
    public static ItemSets union(ItemSets... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("union of no sets");
        }
        int rows = parts[0].numRows();
        for (ItemSets p : parts) {
            if (p.numRows() != rows) {
                throw new IllegalArgumentException("union of sets with " + rows + " and " + p.numRows() + " rows");
            }
        }
        long[] offsets = new long[rows + 1];
        int[] scratch = new int[0];
        int[] out = new int[Math.toIntExact(Arrays.stream(parts).mapToLong(p -> p.columns.length).sum())];
        int n = 0;
        for (int u = 0; u < rows; u++) {
            int len = 0;
            for (ItemSets p : parts) {
                len += p.rowEnd(u) - p.rowStart(u);
            }
            if (scratch.length < len) {
                scratch = new int[Math.max(len, scratch.length * 2)];
            }
            int k = 0;
            for (ItemSets p : parts) {
                System.arraycopy(p.columns, p.rowStart(u), scratch, k, p.rowEnd(u) - p.rowStart(u));
                k += p.rowEnd(u) - p.rowStart(u);
            }
            Arrays.sort(scratch, 0, k);
            for (int i = 0; i < k; i++) {
                if (i == 0 || scratch[i] != scratch[i - 1]) {
                    out[n++] = scratch[i];
                }
            }
            offsets[u + 1] = n;
        }
        return new ItemSets(offsets, Arrays.copyOf(out, n));
    }
}
