package dev.clcrec.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Cheap argument checks done in Java before a downcall, so the common mistakes (null, heap memory,
 * a buffer shorter than the counts say, negative counts) raise an exception naming the Java argument
 * instead of reaching native code with a pointer it would read past. The engine validates ids and
 * values itself.
 */
final class Segments {
    private Segments() {}

    /** The segment must be native memory holding at least count elements of the layout. */
    static void require(MemorySegment segment, String name, long count, ValueLayout layout) {
        if (segment == null) {
            throw new NullPointerException(name + " must not be null");
        }
        nonNegative(name + " count", count);
        if (!segment.isNative()) {
            throw new IllegalArgumentException(name + " must be native (off-heap) memory, e.g. from an Arena");
        }
        long needed = Math.multiplyExact(count, layout.byteSize());
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException(name + " holds " + segment.byteSize() + " bytes but " + count + " x "
                    + layout.byteSize() + " = " + needed + " are needed");
        }
        if (segment.address() % layout.byteAlignment() != 0) {
            throw new IllegalArgumentException(name + " is not aligned to " + layout.byteAlignment() + " bytes");
        }
    }

    /** Like {@link #require} but null is allowed (and then passed as NULL). */
    static MemorySegment optional(MemorySegment segment, String name, long count, ValueLayout layout) {
        if (segment == null) {
            return MemorySegment.NULL;
        }
        require(segment, name, count, layout);
        return segment;
    }

    static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Java arrays are int-indexed: results copied onto the heap must fit one. */
    static int arrayLength(String what, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(what + " has " + elements
                    + " elements, too many for a Java array; use the MemorySegment variant");
        }
        return (int) elements;
    }
}
