package dev.clcrec.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Word-level text: count (item, word) pairs as a 2 x count int64 matrix in native memory, row 0 the
 * items and row 1 the words (0..numWords-1). Each item's text is the average of its words' vectors.
 */
public record WordPairs(MemorySegment pairs, long count, long numWords) {
    public WordPairs {
        Segments.nonNegative("word pair count", count);
        Segments.positive("numWords", numWords);
        Segments.require(pairs, "word pairs", Math.multiplyExact(2L, count), ValueLayout.JAVA_LONG);
    }
}
