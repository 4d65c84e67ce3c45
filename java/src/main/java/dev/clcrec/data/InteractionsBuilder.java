package dev.clcrec.data;

import java.util.Arrays;

/**
 * Collects (row, column) pairs with range checks and builds a sorted, duplicate-free
 * {@link Interactions}. Errors name the source and the 0-based entry index.
 */
public final class InteractionsBuilder {
    private final String source;
    private final int numRows;
    private final int numColumns;
    private int[] rows = new int[1024];
    private int[] cols = new int[1024];
    private int size;

    /** The result: the table and how many duplicate pairs were dropped. */
    public record Result(Interactions interactions, long duplicates) {}

    public InteractionsBuilder(String source, int numRows, int numColumns) {
        this.source = source;
        this.numRows = numRows;
        this.numColumns = numColumns;
    }

    /** Adds one pair; {@code entry} is the position in the source used in error messages. */
    public InteractionsBuilder add(long row, long column, long entry) {
        if (row < 0 || row >= numRows) {
            throw new DatasetFormatException(source + ": entry " + entry + ": user id " + row
                    + " is out of range, expected 0 <= id < " + numRows);
        }
        if (column < 0 || column >= numColumns) {
            throw new DatasetFormatException(source + ": entry " + entry + ": item id " + column
                    + " is out of range, expected 0 <= id < " + numColumns);
        }
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, size * 2);
            cols = Arrays.copyOf(cols, size * 2);
        }
        rows[size] = (int) row;
        cols[size] = (int) column;
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    /** Sorts by row then column and drops duplicate pairs. */
    public Result build() {
        long[] counts = new long[numRows + 1];
        for (int k = 0; k < size; k++) {
            counts[rows[k] + 1]++;
        }
        for (int r = 0; r < numRows; r++) {
            counts[r + 1] += counts[r];
        }
        int[] sorted = new int[size];
        long[] fill = Arrays.copyOf(counts, numRows);
        for (int k = 0; k < size; k++) {
            sorted[(int) fill[rows[k]]++] = cols[k];
        }
        long[] offsets = new long[numRows + 1];
        int n = 0;
        for (int r = 0; r < numRows; r++) {
            int from = (int) counts[r];
            int to = (int) counts[r + 1];
            Arrays.sort(sorted, from, to);
            for (int k = from; k < to; k++) {
                if (k == from || sorted[k] != sorted[k - 1]) {
                    sorted[n++] = sorted[k];
                }
            }
            offsets[r + 1] = n;
        }
        return new Result(new Interactions(numRows, offsets, Arrays.copyOf(sorted, n)), size - n);
    }
}
