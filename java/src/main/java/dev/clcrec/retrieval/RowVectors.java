package dev.clcrec.retrieval;

import java.util.Arrays;

/**
 * The index's own copy of every row's vector, append-only: rows {@code 0..size()-1}, each a
 * {@code float[dim]} (the layout Lucene's {@code VectorUtil} kernels take) plus its squared norm, which
 * the norm-augmenting transform needs for every item-to-item score.
 *
 * <p>One writer appends; any number of readers read rows below a {@link #size()} they have read. The
 * writer fills a row and its norm, then publishes it by the volatile write of {@code size}; a reader
 * that reads {@code size} first therefore sees every row below it complete. Pages of rows are never
 * moved once written, only the small page directory is copied when it grows, and it is published
 * before the size that makes its new page reachable.
 */
final class RowVectors {
    private static final int PAGE_BITS = 12;
    private static final int PAGE = 1 << PAGE_BITS; // rows per page

    private final int dim;
    private volatile float[][][] pages = new float[0][][];
    private volatile float[][] normPages = new float[0][];
    private volatile int size;

    RowVectors(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive, got " + dim);
        }
        this.dim = dim;
    }

    int dim() {
        return dim;
    }

    /** Rows published so far; rows below it are complete and never change. */
    int size() {
        return size;
    }

    /** Appends a copy of {@code src[offset .. offset + dim]} as row {@link #size()}; one writer at a time. */
    void append(float[] src, int offset) {
        int row = size;
        int page = row >>> PAGE_BITS;
        float[][][] p = pages;
        float[][] np = normPages;
        if (page == p.length) {
            p = Arrays.copyOf(p, page + 1);
            p[page] = new float[PAGE][];
            np = Arrays.copyOf(np, page + 1);
            np[page] = new float[PAGE];
            pages = p;
            normPages = np;
        }
        float[] copy = Arrays.copyOfRange(src, offset, offset + dim);
        p[page][row & (PAGE - 1)] = copy;
        np[page][row & (PAGE - 1)] = dot(copy, copy);
        size = row + 1; // publishes the row (and any new page) to readers
    }

    /** Row {@code row}'s vector, shared: callers must not write to it. {@code row < size()}. */
    float[] vector(int row) {
        return pages[row >>> PAGE_BITS][row & (PAGE - 1)];
    }

    /** {@code |v|^2} of row {@code row}, summed in dimension order in float. */
    float squaredNorm(int row) {
        return normPages[row >>> PAGE_BITS][row & (PAGE - 1)];
    }

    private static float dot(float[] a, float[] b) {
        float s = 0f;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
