package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native engine against the plain-Java double-precision reference (JavaReference) on random small
 * models, batches, exclusions, masks and ties, over many seeds.
 */
class NativeJavaParityTest {
    private static final AtomicInteger EXACT_TIES = new AtomicInteger();
    private static final AtomicInteger SHORT_LISTS = new AtomicInteger();

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 30);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lossMatchesJavaReference(long seed) {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(seed, arena)) {
            for (int round = 0; round < 3; round++) {
                int batch = 1 + c.random.nextInt(6);
                int group = 2 + c.random.nextInt(5);
                long[] users = new long[batch];
                long[] items = new long[batch * group];
                for (int b = 0; b < batch; b++) {
                    users[b] = c.random.nextInt(c.numUser);
                }
                for (int r = 0; r < items.length; r++) {
                    items[r] = c.random.nextInt(c.numItem);
                }
                long[] hybrid = new long[(int) Math.floor(items.length * 0.5)];
                for (int h = 0; h < hybrid.length; h++) {
                    hybrid[h] = c.random.nextInt(items.length);
                }
                MemorySegment u = Fixtures.longs(arena, users);
                MemorySegment i = Fixtures.longs(arena, items);
                MemorySegment h = Fixtures.longs(arena, hybrid);

                StepLosses expected = c.reference().loss(users, items, batch, group, hybrid,
                        c.config.tempValue(), c.config.effectiveReTempValue(), c.config.lrLambda(), c.config.regWeight());
                StepLosses computed = c.model.computeLoss(u, batch, i, group, h, hybrid.length);
                assertLosses(expected, computed, "seed " + seed + " round " + round + " computeLoss");
                // a training step reports the losses of the parameters it started from
                StepLosses trained = c.model.trainStep(u, batch, i, group, h, hybrid.length);
                assertLosses(expected, trained, "seed " + seed + " round " + round + " trainStep");
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void representationsMatchJavaReference(long seed) {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(seed, arena)) {
            JavaReference ref = c.reference();
            int d = c.config.dimE();
            float[] users = c.model.userEmbeddings();
            float[] idEmbedding = c.model.parameter("id_embedding");
            assertArrayEquals(Arrays.copyOf(idEmbedding, c.numUser * d), users, "users are id embedding rows");
            float[] items = c.model.itemRepresentation();
            float[] encoded = c.model.encoderOutput();
            for (int j = 0; j < c.numItem; j++) {
                double[] want = ref.itemRepresentation(j);
                double[] enc = ref.encode(j);
                for (int k = 0; k < d; k++) {
                    assertEquals(want[k], items[j * d + k], 1e-5 * Math.max(1, Math.abs(want[k])),
                            "seed " + seed + " item " + j + " representation[" + k + "]");
                    assertEquals(enc[k], encoded[j * d + k], 1e-5 * Math.max(1, Math.abs(enc[k])),
                            "seed " + seed + " item " + j + " encoder[" + k + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void rankingMatchesJavaReference(long seed) {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(seed, arena)) {
            JavaReference ref = c.reference();
            int numUsers = 1 + c.random.nextInt(c.numUser + 2); // repeats allowed
            long[] users = new long[numUsers];
            long[] offsets = new long[numUsers + 1];
            List<Long> excluded = new ArrayList<>();
            List<Set<Integer>> excludedSets = new ArrayList<>();
            for (int q = 0; q < numUsers; q++) {
                users[q] = c.random.nextInt(c.numUser);
                Set<Integer> set = new HashSet<>();
                int n = c.random.nextInt(c.numItem / 2 + 1);
                for (int e = 0; e < n; e++) {
                    set.add(c.random.nextInt(c.numItem));
                }
                excludedSets.add(set);
                for (int j : set) {
                    excluded.add((long) j); // unsorted on purpose
                }
                offsets[q + 1] = excluded.size();
            }
            int numMasks = 1 + c.random.nextInt(3);
            boolean noMasks = numMasks == 1 && c.random.nextBoolean();
            byte[] masks = new byte[numMasks * c.numItem];
            for (int m = 0; m < numMasks && !noMasks; m++) {
                for (int j = 0; j < c.numItem; j++) {
                    masks[m * c.numItem + j] = (byte) switch (m) {
                        case 0 -> 0;                         // the "all" setting
                        case 1 -> j >= c.numWarm ? 1 : 0;    // warm: cold excluded
                        default -> c.random.nextInt(3) == 0 ? 7 : 0; // any nonzero byte excludes
                    };
                }
            }
            int k = 1 + c.random.nextInt(c.numItem + 2);
            long outLen = (long) numMasks * numUsers * k;
            MemorySegment outItems = arena.allocate(8 * outLen);
            MemorySegment outScores = arena.allocate(4 * outLen);
            MemorySegment u = Fixtures.longs(arena, users);
            c.model.topK(u, numUsers, Fixtures.longs(arena, offsets),
                    Fixtures.longs(arena, excluded.stream().mapToLong(Long::longValue).toArray()),
                    noMasks ? null : Fixtures.bytes(arena, masks), numMasks, k, outItems, outScores);
            long[] items = Fixtures.readLongs(outItems, outLen);
            float[] scores = Fixtures.readFloats(outScores, outLen);

            // top-K without scores gives the same items
            MemorySegment outItems2 = arena.allocate(8 * outLen);
            c.model.topK(u, numUsers, Fixtures.longs(arena, offsets),
                    Fixtures.longs(arena, excluded.stream().mapToLong(Long::longValue).toArray()),
                    noMasks ? null : Fixtures.bytes(arena, masks), numMasks, k, outItems2, null);
            assertArrayEquals(items, Fixtures.readLongs(outItems2, outLen), "seed " + seed + ": items without scores");

            for (int m = 0; m < numMasks; m++) {
                for (int q = 0; q < numUsers; q++) {
                    int user = (int) users[q];
                    List<Integer> candidates = new ArrayList<>();
                    for (int j = 0; j < c.numItem; j++) {
                        if (!excludedSets.get(q).contains(j) && masks[m * c.numItem + j] == 0) {
                            candidates.add(j);
                        }
                    }
                    double[] javaScore = new double[c.numItem];
                    double maxAbs = 1;
                    for (int j = 0; j < c.numItem; j++) {
                        javaScore[j] = ref.score(user, j);
                        maxAbs = Math.max(maxAbs, Math.abs(javaScore[j]));
                    }
                    double tol = 1e-5 * maxAbs;
                    candidates.sort(Comparator.<Integer>comparingDouble(j -> -javaScore[j]).thenComparing(j -> j));
                    int kk = Math.min(k, candidates.size());
                    long base = ((long) m * numUsers + q) * k;
                    String where = "seed " + seed + " mask " + m + " user " + user + " (query " + q + ")";
                    Set<Long> seen = new HashSet<>();
                    for (int r = 0; r < k; r++) {
                        long item = items[(int) (base + r)];
                        float score = scores[(int) (base + r)];
                        if (r >= kk) {
                            assertEquals(-1, item, where + ": rank " + r + " past the candidates");
                            assertEquals(Float.NEGATIVE_INFINITY, score, where + ": rank " + r + " score");
                            SHORT_LISTS.incrementAndGet();
                            continue;
                        }
                        assertTrue(item >= 0 && item < c.numItem, where + ": item " + item + " at rank " + r);
                        assertTrue(seen.add(item), where + ": item " + item + " repeated");
                        assertTrue(candidates.contains((int) item), where + ": excluded item " + item + " ranked");
                        assertEquals(javaScore[(int) item], score, tol, where + ": score of item " + item);
                        assertEquals(javaScore[candidates.get(r)], score, tol, where + ": score at rank " + r);
                        if (r > 0 && scores[(int) (base + r - 1)] == score) {
                            EXACT_TIES.incrementAndGet();
                            assertTrue(items[(int) (base + r - 1)] < item,
                                    where + ": tie at rank " + r + " not broken by lower item id");
                        }
                    }
                    if (kk > 0) {
                        double kth = javaScore[candidates.get(kk - 1)];
                        for (int j : candidates) {
                            if (javaScore[j] > kth + tol) {
                                assertTrue(seen.contains((long) j), where + ": item " + j + " missing from top-" + k);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void scoresMatchJavaReference(long seed) {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(seed, arena)) {
            JavaReference ref = c.reference();
            long[] users = {0, c.numUser - 1, c.random.nextInt(c.numUser)};
            MemorySegment out = arena.allocate(4L * users.length * c.numItem);
            c.model.score(Fixtures.longs(arena, users), users.length, out);
            float[] scores = Fixtures.readFloats(out, (long) users.length * c.numItem);
            for (int q = 0; q < users.length; q++) {
                for (int j = 0; j < c.numItem; j++) {
                    double want = ref.score((int) users[q], j);
                    assertEquals(want, scores[q * c.numItem + j], 1e-5 * Math.max(1, Math.abs(want)),
                            "seed " + seed + " user " + users[q] + " item " + j);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void encodeOfTheTrainingContentIsTheEncoderOutput(long seed) {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(seed, arena)) {
            List<FeatureMatrix> ms = new ArrayList<>();
            for (int m = 0; m < c.modalities.size(); m++) {
                ms.add(new FeatureMatrix("m" + m, Fixtures.floats(arena, c.modalities.get(m)), c.numItem, c.widths[m]));
            }
            WordPairs words = c.wordPairs == null ? null
                    : new WordPairs(Fixtures.longs(arena, c.wordPairs), c.numWordPairs, c.numWords);
            float[] encoded = c.model.encode(c.numItem, new ContentFeatures(ms, words));
            float[] all = c.model.encoderOutput();
            assertTrue(Fixtures.relativeError(encoded, all) <= 1e-6, "encode == encoder output");
        }
    }

    private static void assertLosses(StepLosses want, StepLosses got, String where) {
        close(want.loss(), got.loss(), where + " loss");
        close(want.lossRe(), got.lossRe(), where + " lossRe");
        close(want.lossUi(), got.lossUi(), where + " lossUi");
        close(want.reg(), got.reg(), where + " reg");
        close(want.mat(), got.mat(), where + " mat");
    }

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 1e-5 * Math.max(1, Math.abs(want)), what);
    }

    @AfterAll
    static void tiesWereExercised() {
        assertTrue(EXACT_TIES.get() > 0, "no exact score ties were exercised; the tie-break check is vacuous");
        assertTrue(SHORT_LISTS.get() > 0, "no top-K list ran out of candidates");
    }
}
