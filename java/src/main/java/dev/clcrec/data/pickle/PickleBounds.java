package dev.clcrec.data.pickle;

import dev.clcrec.data.DatasetFormatException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Limits on what a decoded pickle may be, checked by one iterative walk right after decoding and
 * before any reader converts it: nesting depth (a recursive conversion would overflow the stack),
 * and total elements counted with repeats (a pickle can refer to one memoised list from millions
 * of places for two bytes each, and a conversion would then copy it millions of times).
 */
public final class PickleBounds {
    /** The layouts we read nest a handful of levels (array, list, dict, set, tuple). */
    public static final int MAX_DEPTH = 64;
    /** Honest pickles hold at most a few elements per byte; this allows plenty more. */
    public static final long ELEMENTS_PER_BYTE = 8;
    public static final long MIN_ELEMENTS = 1 << 20;

    private PickleBounds() {}

    /** The element budget of a pickle of {@code bytes} bytes (unknown size: -1). */
    public static long budgetFor(long bytes) {
        if (bytes < 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(MIN_ELEMENTS, bytes > Long.MAX_VALUE / ELEMENTS_PER_BYTE ? Long.MAX_VALUE
                : bytes * ELEMENTS_PER_BYTE);
    }

    public static void check(String source, Object root, int maxDepth, long maxElements) {
        ArrayDeque<Iterator<?>> frames = new ArrayDeque<>();
        long elements = 0;
        Iterator<?> rootIt = List.of(root).iterator();
        frames.push(rootIt);
        while (!frames.isEmpty()) {
            Iterator<?> it = frames.peek();
            if (!it.hasNext()) {
                frames.pop();
                continue;
            }
            Object o = it.next();
            if (++elements > maxElements) {
                throw new DatasetFormatException(source + ": the pickle decodes to more than " + maxElements
                        + " elements (counting shared references), far more than its size allows; refusing it");
            }
            Iterator<?> children = children(o);
            if (children != null) {
                if (frames.size() >= maxDepth) {
                    throw new DatasetFormatException(source + ": the pickle nests containers more than " + maxDepth
                            + " levels deep; refusing it");
                }
                frames.push(children);
            }
        }
    }

    private static Iterator<?> children(Object o) {
        if (o instanceof List<?> l) {
            return l.iterator();
        }
        if (o instanceof Object[] a) {
            return java.util.Arrays.asList(a).iterator();
        }
        if (o instanceof java.util.Set<?> s) {
            return s.iterator();
        }
        if (o instanceof Map<?, ?> m) {
            return m.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).iterator();
        }
        if (o instanceof NdArray a) {
            return a.payload() == null ? null : List.of(a.payload()).iterator();
        }
        return null;
    }
}
