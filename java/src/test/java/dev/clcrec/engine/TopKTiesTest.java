package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Top-K under exact score ties, three item masks at once (none, cold excluded, warm excluded) and
 * per-user exclusions: every list must equal the one a plain sort by (score descending, item
 * ascending) gives, including which of the tied items make the cut at rank K. The parameters are
 * small dyadic numbers, so every score is exact whatever the summation order, and the ties are exact
 * by construction: warm items share five id-embedding rows, and every cold item has the same encoder
 * output. A zero user makes every item tie.
 */
class TopKTiesTest {
    private static final int USERS = 4;
    private static final int ITEMS = 150; // several 16-item blocks, runs that end mid-block
    private static final int WARM = 107;
    private static final int DIM = 4;
    private static final int HIDDEN = 8;
    private static final float[][] WARM_ROWS = {
            {1, 0.5f, -1, 2}, {0.25f, 0.25f, 0.25f, 0.25f}, {-2, 1, 0, 0.5f}, {1, 0.5f, -1, 2}, {0, 0, 1, -0.5f}};
    private static final float[][] USER_ROWS = {{1, 0.5f, -1, 2}, {0, 0, 0, 0}, {-1, 1, 0.25f, 0}, {0.5f, -0.5f, 2, 1}};

    @Test
    void tiesGoToTheLowerItemUnderEveryMask() {
        try (Arena arena = Arena.ofConfined();
                ClcrecModel model = ClcrecModel.create(
                        ModelConfig.defaults(USERS, ITEMS, WARM).withDimE(DIM).withHiddenDim(HIDDEN)
                                .withDevice(TestDevice.get()).withNumThreads(2),
                        features(arena))) {
            float[] table = new float[(USERS + ITEMS) * DIM];
            for (int u = 0; u < USERS; u++) {
                System.arraycopy(USER_ROWS[u], 0, table, u * DIM, DIM);
            }
            for (int j = 0; j < ITEMS; j++) {
                System.arraycopy(WARM_ROWS[(j * 7) % WARM_ROWS.length], 0, table, (USERS + j) * DIM, DIM);
            }
            model.setParameter("id_embedding", table);
            // Encoder output = W2 * b1 + b2 for every item (W1 = 0, b1 >= 0): exact and the same for all.
            model.setParameter("encoder_layer1_weight", new float[HIDDEN * 3]);
            float[] b1 = new float[HIDDEN];
            Arrays.fill(b1, 0.5f);
            model.setParameter("encoder_layer1_bias", b1);
            float[] w2 = new float[DIM * HIDDEN];
            for (int i = 0; i < w2.length; i++) {
                w2[i] = (i % 3) * 0.25f - 0.25f;
            }
            model.setParameter("encoder_layer2_weight", w2);
            model.setParameter("encoder_layer2_bias", new float[] {0.5f, 0, 0.25f, -1});
            float[] representation = model.itemRepresentation();

            long[] users = {0, 1, 2, 3, 1, 0};
            List<Set<Integer>> excluded = new ArrayList<>();
            long[] offsets = new long[users.length + 1];
            List<Long> flat = new ArrayList<>();
            for (int q = 0; q < users.length; q++) {
                Set<Integer> set = new TreeSet<>();
                for (int j = q; j < ITEMS; j += 5 + q) {
                    set.add(j);
                }
                if (q == 4) {
                    set.clear(); // a user with no exclusions
                }
                excluded.add(set);
                set.forEach(j -> flat.add((long) j));
                offsets[q + 1] = flat.size();
            }
            byte[] masks = new byte[3 * ITEMS];
            for (int j = 0; j < ITEMS; j++) {
                masks[ITEMS + j] = (byte) (j >= WARM ? 1 : 0);
                masks[2 * ITEMS + j] = (byte) (j < WARM ? 1 : 0);
            }
            for (int k : new int[] {1, 7, 20, 43, ITEMS + 3}) {
                long outLen = 3L * users.length * k;
                MemorySegment outItems = arena.allocate(8 * outLen);
                MemorySegment outScores = arena.allocate(4 * outLen);
                model.topK(Fixtures.longs(arena, users), users.length, Fixtures.longs(arena, offsets),
                        Fixtures.longs(arena, flat.stream().mapToLong(Long::longValue).toArray()),
                        Fixtures.bytes(arena, masks), 3, k, outItems, outScores);
                long[] items = Fixtures.readLongs(outItems, outLen);
                float[] scores = Fixtures.readFloats(outScores, outLen);
                for (int m = 0; m < 3; m++) {
                    for (int q = 0; q < users.length; q++) {
                        int user = (int) users[q];
                        List<Integer> candidates = new ArrayList<>();
                        float[] score = new float[ITEMS];
                        for (int j = 0; j < ITEMS; j++) {
                            double s = 0;
                            for (int e = 0; e < DIM; e++) {
                                s += (double) table[user * DIM + e] * representation[j * DIM + e];
                            }
                            score[j] = (float) s; // exact: dyadic operands
                            if (masks[m * ITEMS + j] == 0 && !excluded.get(q).contains(j)) {
                                candidates.add(j);
                            }
                        }
                        candidates.sort(Comparator.<Integer>comparingDouble(j -> -score[j]).thenComparing(j -> j));
                        long[] wantItems = new long[k];
                        float[] wantScores = new float[k];
                        Arrays.fill(wantItems, -1);
                        Arrays.fill(wantScores, Float.NEGATIVE_INFINITY);
                        for (int r = 0; r < Math.min(k, candidates.size()); r++) {
                            wantItems[r] = candidates.get(r);
                            wantScores[r] = score[candidates.get(r)];
                        }
                        int base = (m * users.length + q) * k;
                        String where = "k " + k + " mask " + m + " user " + user + " (query " + q + ")";
                        assertArrayEquals(wantItems, Arrays.copyOfRange(items, base, base + k), where + " items");
                        assertArrayEquals(wantScores, Arrays.copyOfRange(scores, base, base + k), where + " scores");
                    }
                }
            }
        }
    }

    private static ContentFeatures features(Arena arena) {
        float[] values = new float[ITEMS * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 5) + 1;
        }
        return new ContentFeatures(List.of(new FeatureMatrix("v", Fixtures.floats(arena, values), ITEMS, 3)));
    }
}
