package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reference's full-ranking evaluation on a fixed result matrix: the engine's top-5 lists under
 * the all/warm/cold masks with training items excluded must be the reference's (up to the order of
 * equal scores), and Precision/Recall/NDCG@5 computed from them must be the reference's numbers.
 */
class RankingFixtureTest {
    private static final String[] SETTINGS = {"all", "warm", "cold"};

    @Test
    void topKListsAndMetricsMatchTheReference() {
        Path dir = Fixtures.dir("ranking");
        JsonNode json = Fixtures.caseJson(dir);
        int numUser = json.get("num_user").asInt();
        int numItem = json.get("num_item").asInt();
        int numWarm = json.get("num_warm_item").asInt();
        int k = json.get("topK").asInt();
        Npy result = Npy.read(dir.resolve("result.npy"));
        int dim = (int) result.cols();
        List<Set<Integer>> train = perUser(Npy.read(dir.resolve("train_pairs.npy")), numUser);
        List<Set<Integer>> heldOut = perUser(Npy.read(dir.resolve("heldout_pairs.npy")), numUser);

        // Every item is "warm" to the engine so each item is ranked by its row of result.npy; the
        // reference's warm/cold split is expressed by the item masks instead.
        ModelConfig config = ModelConfig.defaults(numUser, numItem, numItem).withDimE(dim).withHiddenDim(8)
                .withDevice(TestDevice.get()).withNumThreads(1);
        try (Arena arena = Arena.ofConfined()) {
            float[] ones = new float[numItem];
            java.util.Arrays.fill(ones, 1f);
            ContentFeatures content = new ContentFeatures(List.of(
                    new FeatureMatrix("v", Fixtures.floats(arena, ones), numItem, 1)));
            try (ClcrecModel model = ClcrecModel.create(config, content)) {
                model.setParameter("id_embedding", result.floats());

                long[] users = new long[numUser];
                long[] offsets = new long[numUser + 1];
                List<Long> excluded = new ArrayList<>();
                for (int u = 0; u < numUser; u++) {
                    users[u] = u;
                    for (int j : new TreeSet<>(train.get(u))) {
                        excluded.add((long) j);
                    }
                    offsets[u + 1] = excluded.size();
                }
                byte[] masks = new byte[3 * numItem];
                for (int j = 0; j < numItem; j++) {
                    masks[numItem + j] = (byte) (j >= numWarm ? 1 : 0); // warm: cold items excluded
                    masks[2 * numItem + j] = (byte) (j < numWarm ? 1 : 0); // cold: warm items excluded
                }
                MemorySegment outItems = arena.allocate(8L * 3 * numUser * k);
                MemorySegment outScores = arena.allocate(4L * 3 * numUser * k);
                model.topK(Fixtures.longs(arena, users), numUser, Fixtures.longs(arena, offsets),
                        Fixtures.longs(arena, excluded.stream().mapToLong(Long::longValue).toArray()),
                        Fixtures.bytes(arena, masks), 3, k, outItems, outScores);
                long[] items = Fixtures.readLongs(outItems, 3L * numUser * k);

                for (int s = 0; s < SETTINGS.length; s++) {
                    String setting = SETTINGS[s];
                    long[] expected = Npy.read(dir.resolve("topk_" + setting + ".npy")).longs();
                    double precision = 0;
                    double recall = 0;
                    double ndcg = 0;
                    int counted = 0;
                    for (int u = 0; u < numUser; u++) {
                        int[] ours = new int[k];
                        int[] theirs = new int[k];
                        for (int r = 0; r < k; r++) {
                            ours[r] = (int) items[(s * numUser + u) * k + r];
                            theirs[r] = (int) (expected[u * k + r] - numUser);
                        }
                        assertSameRanking(result.floats(), dim, numUser, u, ours, theirs, setting);
                        for (int j : ours) {
                            assertTrue(!train.get(u).contains(j), setting + " user " + u + ": training item " + j);
                            assertTrue(setting.equals("all") || setting.equals("warm") == (j < numWarm),
                                    setting + " user " + u + ": masked item " + j);
                        }

                        Set<Integer> positives = new HashSet<>();
                        for (int j : heldOut.get(u)) {
                            if (setting.equals("all") || (setting.equals("warm") == (j < numWarm))) {
                                positives.add(j);
                            }
                        }
                        if (positives.isEmpty()) {
                            continue;
                        }
                        counted++;
                        int hits = 0;
                        double dcg = 0;
                        for (int r = 0; r < k; r++) {
                            if (positives.contains(ours[r])) {
                                hits++;
                                dcg += 1 / log2(r + 2);
                            }
                        }
                        double idcg = 0;
                        for (int r = 0; r < Math.min(positives.size(), k); r++) {
                            idcg += 1 / log2(r + 2);
                        }
                        precision += (double) hits / k;
                        recall += (double) hits / positives.size();
                        ndcg += dcg / idcg;
                    }
                    JsonNode m = json.get("metrics").get(setting);
                    assertEquals(m.get("users_counted").asInt(), counted, setting + " users counted");
                    assertEquals(m.get("precision").asDouble(), precision / counted, 1e-12, setting + " precision");
                    assertEquals(m.get("recall").asDouble(), recall / counted, 1e-12, setting + " recall");
                    assertEquals(m.get("ndcg").asDouble(), ndcg / counted, 1e-12, setting + " ndcg");
                }
            }
        }
    }

    /**
     * Same list as the reference where scores differ: at every rank our item scores what the
     * reference's item scores, and where that score is unique among the user's items the item itself
     * is the same. (The fixture leaves the order of equal scores unspecified.)
     */
    private static void assertSameRanking(float[] result, int dim, int numUser, int u, int[] ours, int[] theirs,
            String setting) {
        for (int r = 0; r < ours.length; r++) {
            double a = score(result, dim, numUser, u, ours[r]);
            double b = score(result, dim, numUser, u, theirs[r]);
            assertEquals(b, a, 1e-5 * Math.max(1, Math.abs(b)),
                    setting + " user " + u + " rank " + r + ": item " + ours[r] + " vs reference " + theirs[r]);
            boolean tied = false;
            int numItem = result.length / dim - numUser;
            for (int j = 0; j < numItem; j++) {
                if (j != theirs[r] && Math.abs(score(result, dim, numUser, u, j) - b) <= 1e-6 * Math.max(1, Math.abs(b))) {
                    tied = true;
                }
            }
            if (!tied) {
                assertEquals(theirs[r], ours[r], setting + " user " + u + " rank " + r);
            }
        }
    }

    private static double score(float[] result, int dim, int numUser, int u, int j) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            s += (double) result[u * dim + d] * result[(numUser + j) * dim + d];
        }
        return s;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Reference global pairs [user, num_user + j] grouped by user as local item ids. */
    private static List<Set<Integer>> perUser(Npy pairs, int numUser) {
        List<Set<Integer>> out = new ArrayList<>();
        for (int u = 0; u < numUser; u++) {
            out.add(new HashSet<>());
        }
        long[] v = pairs.longs();
        for (int i = 0; i < pairs.rows(); i++) {
            int u = (int) v[2 * i];
            out.get(u).add((int) (v[2 * i + 1] - numUser));
        }
        return out;
    }
}
