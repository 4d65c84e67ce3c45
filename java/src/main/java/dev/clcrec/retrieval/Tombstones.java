package dev.clcrec.retrieval;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The removed rows: a bit set that grows with the rows, set by one writer and read by any number of
 * searches without locks. Bits are only ever set, never cleared (a row id is not reused), and each
 * word is an {@link AtomicLongArray} element, so a removal is visible to every search that starts
 * after {@link #remove} returned.
 */
final class Tombstones {
    private static final int WORDS_PER_PAGE = 1 << 10; // 65,536 rows per page

    private volatile AtomicLongArray[] pages = new AtomicLongArray[0];
    private volatile int count;

    /** Marks {@code row} removed; returns false if it already was. One writer at a time. */
    boolean remove(int row) {
        int word = row >>> 6;
        int page = word / WORDS_PER_PAGE;
        AtomicLongArray[] p = pages;
        if (page >= p.length) {
            p = Arrays.copyOf(p, page + 1);
            for (int i = 0; i < p.length; i++) {
                if (p[i] == null) {
                    p[i] = new AtomicLongArray(WORDS_PER_PAGE);
                }
            }
            pages = p;
        }
        long bit = 1L << row;
        long old = p[page].getAndUpdate(word % WORDS_PER_PAGE, w -> w | bit);
        if ((old & bit) != 0) {
            return false;
        }
        count++;
        return true;
    }

    boolean isRemoved(int row) {
        int word = row >>> 6;
        int page = word / WORDS_PER_PAGE;
        AtomicLongArray[] p = pages;
        return page < p.length && (p[page].get(word % WORDS_PER_PAGE) & (1L << row)) != 0;
    }

    /** Rows removed so far. */
    int count() {
        return count;
    }
}
