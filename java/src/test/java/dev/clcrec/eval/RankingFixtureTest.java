package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.sampling.ItemSets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The reference's evaluation on the "ranking" fixture, reproduced by our evaluator. */
class RankingFixtureTest {
    static final Path DIR = Path.of(System.getProperty("clcrec.fixtures", "java/src/test/resources/fixtures"), "ranking");

    /** The fixture loaded as local ids. */
    record Fixture(int numUser, int numItem, int numWarm, int k, float[] result, int dim, ItemSets train,
                   Map<Setting, ItemSets> heldOut, JsonNode metrics) {
        float[] userVectors() {
            return java.util.Arrays.copyOfRange(result, 0, numUser * dim);
        }

        float[] itemVectors() {
            return java.util.Arrays.copyOfRange(result, numUser * dim, result.length);
        }

        Map<Split, Map<Setting, ItemSets>> heldOutAsVal() {
            Map<Split, Map<Setting, ItemSets>> m = new EnumMap<>(Split.class);
            m.put(Split.VAL, heldOut);
            return m;
        }
    }

    static Fixture load() throws Exception {
        JsonNode c = new ObjectMapper().readTree(DIR.resolve("case.json").toFile());
        int numUser = c.get("num_user").asInt();
        int numItem = c.get("num_item").asInt();
        int numWarm = c.get("num_warm_item").asInt();
        TestNpy.Array result = TestNpy.read(DIR.resolve("result.npy"));
        int dim = (int) result.shape()[1];
        long[] train = TestNpy.read(DIR.resolve("train_pairs.npy")).longs();
        long[] held = TestNpy.read(DIR.resolve("heldout_pairs.npy")).longs();
        Map<Setting, ItemSets> heldOut = new EnumMap<>(Setting.class);
        heldOut.put(Setting.ALL, sets(held, numUser, j -> true));
        heldOut.put(Setting.WARM, sets(held, numUser, j -> j < numWarm));
        heldOut.put(Setting.COLD, sets(held, numUser, j -> j >= numWarm));
        return new Fixture(numUser, numItem, numWarm, c.get("topK").asInt(), result.floats(), dim,
                sets(train, numUser, j -> true), heldOut, c.get("metrics"));
    }

    // pairs are [user, num_user + j] global ids
    private static ItemSets sets(long[] pairs, int numUser, IntPredicate keep) {
        List<TreeSet<Integer>> rows = new ArrayList<>();
        for (int u = 0; u < numUser; u++) {
            rows.add(new TreeSet<>());
        }
        for (int p = 0; p < pairs.length; p += 2) {
            int j = (int) (pairs[p + 1] - numUser);
            if (keep.test(j)) {
                rows.get((int) pairs[p]).add(j);
            }
        }
        long[] offsets = new long[numUser + 1];
        List<Integer> cols = new ArrayList<>();
        for (int u = 0; u < numUser; u++) {
            cols.addAll(rows.get(u));
            offsets[u + 1] = cols.size();
        }
        return new ItemSets(offsets, cols.stream().mapToInt(Integer::intValue).toArray());
    }

    static void assertMatchesReference(Fixture f, EvalResult r) {
        for (Setting s : Setting.values()) {
            JsonNode want = f.metrics().get(s.name().toLowerCase());
            SettingMetrics got = r.get(Split.VAL, s);
            assertEquals(want.get("users_counted").asLong(), got.usersCounted(), s + " users counted");
            MetricValues v = got.at(f.k());
            assertEquals(want.get("precision").asDouble(), v.precision(), 1e-9, s + " precision");
            assertEquals(want.get("recall").asDouble(), v.recall(), 1e-9, s + " recall");
            assertEquals(want.get("ndcg").asDouble(), v.ndcg(), 1e-9, s + " ndcg");
        }
    }

    @Test
    void javaRankerReproducesReferenceMetrics() throws Exception {
        Fixture f = load();
        try (Evaluator ev = new Evaluator(f.numItem(), f.numWarm(), f.train(), f.heldOutAsVal(), new int[] {f.k(), 10}, 7)) {
            EvalResult r = ev.evaluate(new DotProductRanker(f.userVectors(), f.itemVectors(), f.dim()));
            assertMatchesReference(f, r);
        }
    }

    @Test
    void blockSizeDoesNotChangeResults() throws Exception {
        Fixture f = load();
        DotProductRanker ranker = new DotProductRanker(f.userVectors(), f.itemVectors(), f.dim());
        EvalResult a;
        EvalResult b;
        try (Evaluator ev = new Evaluator(f.numItem(), f.numWarm(), f.train(), f.heldOutAsVal(), new int[] {3, 5}, 1)) {
            a = ev.evaluate(ranker);
        }
        try (Evaluator ev = new Evaluator(f.numItem(), f.numWarm(), f.train(), f.heldOutAsVal(), new int[] {3, 5}, 1000)) {
            b = ev.evaluate(ranker);
        }
        assertEquals(a, b);
    }
}
