package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MetricAccumulatorTest {
    private static double l2(int x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void handComputedUser() {
        // ranked 7, 3, 9, -1 ; positives {3, 4, 9}
        MetricAccumulator a = new MetricAccumulator(new int[] {2, 4});
        a.add(new long[] {7, 3, 9, -1}, 0, 4, new int[] {3, 4, 9}, 0, 3);
        MetricValues k2 = a.averages().get(2);
        assertEquals(0.5, k2.precision(), 1e-12);
        assertEquals(1.0 / 3, k2.recall(), 1e-12);
        assertEquals((1 / l2(3)) / (1 + 1 / l2(3)), k2.ndcg(), 1e-12);
        MetricValues k4 = a.averages().get(4);
        assertEquals(0.5, k4.precision(), 1e-12);
        assertEquals(2.0 / 3, k4.recall(), 1e-12);
        assertEquals((1 / l2(3) + 1 / l2(4)) / (1 + 1 / l2(3) + 1 / l2(4)), k4.ndcg(), 1e-12);
    }

    @Test
    void usersWithoutPositivesAreNotCountedAndAveragesAreMeans() {
        MetricAccumulator a = new MetricAccumulator(new int[] {1});
        a.add(new long[] {1}, 0, 1, new int[] {1}, 0, 1);   // perfect
        a.add(new long[] {2}, 0, 1, new int[] {1}, 0, 1);   // miss
        a.add(new long[] {1}, 0, 1, new int[] {}, 0, 0);     // not counted
        assertEquals(2, a.users());
        assertEquals(0.5, a.averages().get(1).recall(), 1e-12);
        assertEquals(0.5, a.averages().get(1).ndcg(), 1e-12);
        MetricAccumulator b = new MetricAccumulator(new int[] {1});
        b.add(new long[] {1}, 0, 1, new int[] {1}, 0, 1);
        a.addAll(b);
        assertEquals(2.0 / 3, a.averages().get(1).precision(), 1e-12);
    }

    @Test
    void badCutoffsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MetricAccumulator(new int[] {0}));
        MetricAccumulator a = new MetricAccumulator(new int[] {5});
        assertThrows(IllegalArgumentException.class, () -> a.add(new long[] {1, 2}, 0, 2, new int[] {1}, 0, 1));
    }
}
