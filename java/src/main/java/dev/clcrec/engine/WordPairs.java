package dev.clcrec.engine;

import java.lang.foreign.MemorySegment;

/** Word-level text: int64 {@code 2 x count} (row 0 item, row 1 word) in native memory. */
public record WordPairs(MemorySegment pairs, long count, long numWords) {}
