package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class DotProductRankerTest {
    @Test
    void masksExclusionsTiesAndShortLists() {
        // 1-d: user 0 has vector 1, items scores = item values
        float[] items = {3, 5, 5, 1, 4};
        DotProductRanker r = new DotProductRanker(new float[] {1}, items, 1);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment users = a.allocateFrom(ValueLayout.JAVA_LONG, 0);
            MemorySegment off = a.allocateFrom(ValueLayout.JAVA_LONG, 0, 1);
            MemorySegment ex = a.allocateFrom(ValueLayout.JAVA_LONG, 4);
            // mask 0: none; mask 1: exclude items 1,2,3
            MemorySegment masks = a.allocateFrom(ValueLayout.JAVA_BYTE, new byte[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 0});
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG, 2 * 3);
            r.topK(users, 1, off, ex, masks, 2, 3, out);
            // tie 1/2 broken by the lower id; item 4 excluded per user
            assertArrayEquals(new long[] {1, 2, 0, 0, -1, -1}, out.toArray(ValueLayout.JAVA_LONG));
        }
    }
}
