package dev.clcrec.data;

import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Shape and value checks for content features, streaming over (possibly mapped) native memory. */
public final class FeatureChecks {
    private FeatureChecks() {}

    /** Checks shape against {@code numItem} and that every value is finite. */
    public static void check(String source, FeatureMatrix m, long numItem) {
        checkShape(source, m, numItem);
        checkFinite(source + " (modality '" + m.name() + "')", m.data(), m.rows(), m.cols());
    }

    /**
     * Checks shape only: readers call this as each matrix is loaded, before the modalities are
     * combined (combining matrices of different heights is itself an error, without the file named).
     */
    public static void checkShape(String source, FeatureMatrix m, long numItem) {
        if (m.rows() != numItem) {
            throw new DatasetFormatException(source + ": modality '" + m.name() + "' has " + m.rows()
                    + " feature rows, expected one per item (" + numItem + ")");
        }
        if (m.cols() <= 0) {
            throw new DatasetFormatException(source + ": modality '" + m.name() + "' has no columns");
        }
        if (m.data().byteSize() < m.rows() * m.cols() * Float.BYTES) {
            throw new DatasetFormatException(source + ": modality '" + m.name() + "' holds "
                    + m.data().byteSize() + " bytes, expected " + m.rows() * m.cols() * Float.BYTES);
        }
    }

    /**
     * Throws naming the first row and column holding NaN or an infinity. Streams over the segment
     * through a small reused buffer (the matrix itself is never copied to the heap).
     */
    public static void checkFinite(String source, MemorySegment data, long rows, long cols) {
        ValueLayout.OfFloat layout = data.address() % Float.BYTES == 0
                ? ValueLayout.JAVA_FLOAT : ValueLayout.JAVA_FLOAT_UNALIGNED;
        long n = rows * cols;
        float[] buf = new float[1 << 14];
        for (long start = 0; start < n; start += buf.length) {
            int len = (int) Math.min(buf.length, n - start);
            MemorySegment.copy(data, layout, start * Float.BYTES, buf, 0, len);
            float acc = 0;
            for (int k = 0; k < len; k++) {
                acc += buf[k] * 0f; // NaN or infinity makes the product NaN
            }
            if (acc != 0f) {
                for (int k = 0; k < len; k++) {
                    if (!Float.isFinite(buf[k])) {
                        long idx = start + k;
                        throw new DatasetFormatException(source + ": row " + idx / cols + ", column " + idx % cols
                                + " is " + buf[k] + ", expected a finite number");
                    }
                }
            }
        }
    }

    /** Checks word pairs: items within {@code numItem}, words within {@code numWords}. */
    public static void check(String source, WordPairs w, long numItem) {
        ValueLayout.OfLong layout = ValueLayout.JAVA_LONG_UNALIGNED;
        for (long k = 0; k < w.count(); k++) {
            long item = w.pairs().getAtIndex(layout, k);
            long word = w.pairs().getAtIndex(layout, w.count() + k);
            if (item < 0 || item >= numItem) {
                throw new DatasetFormatException(source + ": word pair " + k + ": item " + item
                        + " is out of range, expected 0 <= item < " + numItem);
            }
            if (word < 0 || word >= w.numWords()) {
                throw new DatasetFormatException(source + ": word pair " + k + ": word " + word
                        + " is out of range, expected 0 <= word < " + w.numWords());
            }
        }
    }
}
