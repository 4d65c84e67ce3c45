package dev.clcrec.data;

import java.util.Arrays;

/**
 * Per-row item lists in compressed sparse row form: row {@code r} holds
 * {@code columns[offsets[r] .. offsets[r+1])}, sorted ascending without duplicates.
 */
public record Interactions(int numRows, long[] offsets, int[] columns) {

    public Interactions {
        if (numRows < 0) {
            throw new IllegalArgumentException("numRows must be >= 0, got " + numRows);
        }
        if (offsets.length != numRows + 1) {
            throw new IllegalArgumentException(
                    "offsets must have numRows + 1 = " + (numRows + 1) + " entries, got " + offsets.length);
        }
        if (offsets[0] != 0 || offsets[numRows] != columns.length) {
            throw new IllegalArgumentException("offsets must start at 0 and end at columns.length = "
                    + columns.length + ", got " + offsets[0] + " .. " + offsets[numRows]);
        }
        for (int r = 0; r < numRows; r++) {
            if (offsets[r + 1] < offsets[r]) {
                throw new IllegalArgumentException("offsets decrease at row " + r);
            }
            for (long k = offsets[r] + 1; k < offsets[r + 1]; k++) {
                if (columns[(int) k] <= columns[(int) k - 1]) {
                    throw new IllegalArgumentException("row " + r + " is not strictly ascending at position "
                            + (k - offsets[r]) + ": " + columns[(int) k - 1] + " then " + columns[(int) k]);
                }
            }
        }
    }

    /** An interaction table with {@code numRows} empty rows. */
    public static Interactions empty(int numRows) {
        return new Interactions(numRows, new long[numRows + 1], new int[0]);
    }

    public int rowLength(int row) {
        return (int) (offsets[row + 1] - offsets[row]);
    }

    /** A copy of one row's columns. */
    public int[] row(int row) {
        return Arrays.copyOfRange(columns, (int) offsets[row], (int) offsets[row + 1]);
    }

    /** Whether {@code row} contains {@code column} (binary search). */
    public boolean contains(int row, int column) {
        return Arrays.binarySearch(columns, (int) offsets[row], (int) offsets[row + 1], column) >= 0;
    }

    /** Total number of entries. */
    public long size() {
        return columns.length;
    }

    /** Number of rows with at least one entry. */
    public int nonEmptyRows() {
        int n = 0;
        for (int r = 0; r < numRows; r++) {
            if (offsets[r + 1] > offsets[r]) {
                n++;
            }
        }
        return n;
    }

    /** The entries whose column lies in {@code [fromColumn, toColumn)}, row by row. */
    public Interactions filterColumns(int fromColumn, int toColumn) {
        long[] off = new long[numRows + 1];
        int[] cols = new int[columns.length];
        int n = 0;
        for (int r = 0; r < numRows; r++) {
            for (long k = offsets[r]; k < offsets[r + 1]; k++) {
                int c = columns[(int) k];
                if (c >= fromColumn && c < toColumn) {
                    cols[n++] = c;
                }
            }
            off[r + 1] = n;
        }
        return new Interactions(numRows, off, Arrays.copyOf(cols, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interactions other && numRows == other.numRows
                && Arrays.equals(offsets, other.offsets) && Arrays.equals(columns, other.columns);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numRows + Arrays.hashCode(offsets)) + Arrays.hashCode(columns);
    }

    @Override
    public String toString() {
        return "Interactions[rows=" + numRows + ", size=" + columns.length + "]";
    }
}
