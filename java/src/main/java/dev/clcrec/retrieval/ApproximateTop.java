package dev.clcrec.retrieval;

import java.util.Arrays;

/**
 * The best {@code capacity} rows offered, by a score that is close to but not bit for bit the exact one
 * (Lucene's vectorised dot product sums in another order): a short list kept sorted, best first. Rows
 * must be offered in ascending order, so that among equal scores the first kept is the lower row.
 */
final class ApproximateTop {
    private final int[] rows;
    private final float[] scores;
    private int size;

    ApproximateTop(int capacity) {
        rows = new int[capacity];
        scores = new float[capacity];
    }

    void offer(int row, float score) {
        int cap = rows.length;
        if (size == cap && !(score > scores[cap - 1])) {
            return; // the common case once full: one comparison
        }
        int pos = size == cap ? cap - 1 : size++;
        while (pos > 0 && score > scores[pos - 1]) {
            rows[pos] = rows[pos - 1];
            scores[pos] = scores[pos - 1];
            pos--;
        }
        rows[pos] = row;
        scores[pos] = score;
    }

    /** The rows kept, best first. */
    int[] rows() {
        return Arrays.copyOf(rows, size);
    }
}
