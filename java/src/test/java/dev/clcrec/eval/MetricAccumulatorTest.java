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
    void hitIsTheShareOfUsersWithAtLeastOneHit() {
        // four users, cutoffs 1 and 3:
        //  u0 ranked 5,6,7 positives {7}    -> hit@1 0, hit@3 1
        //  u1 ranked 2,8,9 positives {2,9}  -> hit@1 1, hit@3 1 (two hits still count once)
        //  u2 ranked 1,4,-1 positives {3}   -> 0, 0
        //  u3 ranked 4,3,2 positives {}     -> not counted
        MetricAccumulator a = new MetricAccumulator(new int[] {1, 3});
        a.add(new long[] {5, 6, 7}, 0, 3, new int[] {7}, 0, 1);
        a.add(new long[] {2, 8, 9}, 0, 3, new int[] {2, 9}, 0, 2);
        a.add(new long[] {1, 4, -1}, 0, 3, new int[] {3}, 0, 1);
        a.add(new long[] {4, 3, 2}, 0, 3, new int[] {}, 0, 0);
        assertEquals(1.0 / 3, a.averages().get(1).hit(), 1e-12);
        assertEquals(2.0 / 3, a.averages().get(3).hit(), 1e-12);
        // merging sums the users with a hit, not the averages
        MetricAccumulator b = new MetricAccumulator(new int[] {1, 3});
        b.add(new long[] {3, 1, 2}, 0, 3, new int[] {3}, 0, 1);
        a.addAll(b);
        assertEquals(2.0 / 4, a.averages().get(1).hit(), 1e-12);
        assertEquals(3.0 / 4, a.averages().get(3).hit(), 1e-12);
        assertEquals(a.averages().get(3).hit(), a.averages().get(3).get(Metric.HIT));
    }

    @Test
    void badCutoffsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MetricAccumulator(new int[] {0}));
        MetricAccumulator a = new MetricAccumulator(new int[] {5});
        assertThrows(IllegalArgumentException.class, () -> a.add(new long[] {1, 2}, 0, 2, new int[] {1}, 0, 1));
    }

    /** The sums that cross processes in sharded evaluation carry every metric, Hit@K included. */
    @Test
    void sumsRoundTripEveryMetricAcrossShards() {
        MetricAccumulator shard0 = new MetricAccumulator(new int[] {1, 3});
        shard0.add(new long[] {5, 6, 7}, 0, 3, new int[] {7}, 0, 1);
        shard0.add(new long[] {2, 8, 9}, 0, 3, new int[] {2, 9}, 0, 2);
        MetricAccumulator shard1 = new MetricAccumulator(new int[] {1, 3});
        shard1.add(new long[] {1, 4, -1}, 0, 3, new int[] {1}, 0, 1);
        MetricAccumulator whole = new MetricAccumulator(new int[] {1, 3});
        whole.addAll(shard0);
        whole.addAll(shard1);

        double[] a = new double[shard0.sumsLength()];
        double[] b = new double[shard1.sumsLength()];
        shard0.writeSums(a, 0);
        shard1.writeSums(b, 0);
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i]; // what the all-reduce does
        }
        MetricAccumulator reduced = new MetricAccumulator(new int[] {1, 3});
        reduced.readSums(a, 0);
        assertEquals(whole.averages(), reduced.averages());
        assertEquals(2.0 / 3.0, reduced.averages().get(1).hit(), 1e-12);
    }
}
