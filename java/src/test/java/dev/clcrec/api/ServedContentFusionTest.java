package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.bundle.BundleFormatException;
import dev.clcrec.bundle.BundleManifest;
import dev.clcrec.bundle.BundleWriter;
import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.DotProductRanker;
import dev.clcrec.eval.FusedRanker;
import dev.clcrec.eval.ProfileEvidence;
import dev.clcrec.retrieval.HnswConfig;
import dev.clcrec.retrieval.Retrieval;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.state.Interaction;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.SyntheticData;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle that fuses content evidence serves what the evaluator measured when the weight was
 * chosen: over the model's own items its scores are FusedRanker's (model scores and ProfileEvidence's
 * profile scores, standardised over the cold items), through the scan and through the graph, for model
 * users and folded-in users; items added at runtime get the evidence of their content; a bundle
 * without fusion serves the plain dot products; a manifest with a fusion this build cannot serve is
 * refused, naming the field.
 */
class ServedContentFusionTest {
    static final double WEIGHT = 0.7;
    static final int DIM = 8;
    @TempDir static Path dir;
    static Dataset data;
    static float[] users;
    static float[] items;
    static FusedRanker reference;
    static List<String> userIds;
    static List<String> itemIds;

    @BeforeAll
    static void build() {
        data = SyntheticData.create(30, 700, 560, 4, 6, 3, true);
        ModelConfig c = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem()).withDimE(DIM)
                .withDevice(Device.CPU).withNumThreads(1).withSeed(9);
        userIds = IntStream.range(0, data.numUser()).mapToObj(u -> "u" + u).toList();
        itemIds = IntStream.range(0, data.numItem()).mapToObj(i -> "item-" + i).toList();
        try (ClcrecModel m = ClcrecModel.create(c, data.content())) {
            BundleWriter.write(dir.resolve("fused"), m, data.content(), data.name(), userIds, itemIds, data.train(),
                    WEIGHT);
            BundleWriter.write(dir.resolve("plain"), m, data.content(), data.name(), userIds, itemIds, data.train());
            users = m.userEmbeddings();
            items = m.itemRepresentation();
        }
        ItemSets train = DatasetViews.sets(data.train());
        reference = new FusedRanker(new DotProductRanker(users, items, DIM), data.numWarmItem(),
                ProfileEvidence.of(data.content()).ranker(train), WEIGHT);
    }

    @AfterAll
    static void close() {
        data.close();
    }

    /** The served list is FusedRanker's top k: its scores, and nothing left out scores higher. */
    private static void assertReference(int user, List<Recommendation> served, ItemFilter filter, int k) {
        float[] expected = reference.scores(user);
        assertEquals(k, served.size());
        for (Recommendation r : served) {
            float e = expected[r.item()];
            assertEquals(e, r.score(), 1e-5 * Math.max(1, Math.abs(e)), "user " + user + " item " + r.item());
            assertFalse(data.train().contains(user, r.item()));
        }
        float last = served.getLast().score();
        List<Integer> servedItems = served.stream().map(Recommendation::item).toList();
        for (int i = 0; i < data.numItem(); i++) {
            boolean cold = i >= data.numWarmItem();
            if (servedItems.contains(i) || data.train().contains(user, i) || (filter == ItemFilter.COLD && !cold)
                    || (filter == ItemFilter.WARM && cold)) {
                continue;
            }
            assertTrue(expected[i] <= last + 1e-5 * Math.max(1, Math.abs(last)),
                    "user " + user + ": item " + i + " scores " + expected[i] + " above the served " + last);
        }
    }

    @Test
    void servesTheEvaluatorsFusedScoresOverTheModelsItems() {
        try (Recommender rec = Recommender.open(dir.resolve("fused"), Device.CPU, 1,
                RetrievalOptions.of(Retrieval.EXACT))) {
            for (int u = 0; u < data.numUser(); u += 3) {
                assertReference(u, rec.recommend("u" + u, 15, ItemFilter.COLD), ItemFilter.COLD, 15);
                assertReference(u, rec.recommend("u" + u, 25, ItemFilter.ALL), ItemFilter.ALL, 25);
            }
        }
    }

    @Test
    void theGraphFindsWarmRowsAndTheScanFusedColdOnes() {
        RetrievalOptions graph = new RetrievalOptions(Retrieval.HNSW, HnswConfig.DEFAULTS.withEfSearch(700));
        try (Recommender rec = Recommender.open(dir.resolve("fused"), Device.CPU, 1, graph)) {
            awaitGraph(rec);
            for (int u = 0; u < data.numUser(); u += 4) {
                assertReference(u, rec.recommend("u" + u, 25, ItemFilter.ALL), ItemFilter.ALL, 25);
                assertReference(u, rec.recommend("u" + u, 10, ItemFilter.COLD), ItemFilter.COLD, 10);
            }
        }
    }

    private static void awaitGraph(Recommender rec) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!rec.retrievalInUse().equals("hnsw")) {
            assertTrue(System.nanoTime() < deadline, "the graph was not built within 60 s");
            Thread.onSpinWait();
        }
    }

    @Test
    void withoutFusionTheColdScoresAreTheDotProducts() {
        DotProductRanker plain = new DotProductRanker(users, items, DIM);
        try (Recommender rec = Recommender.open(dir.resolve("plain"), Device.CPU, 1,
                RetrievalOptions.of(Retrieval.EXACT))) {
            float[] expected = plain.scores(2);
            for (Recommendation r : rec.recommend("u2", 10, ItemFilter.COLD)) {
                assertEquals(expected[r.item()], r.score(), 0f);
            }
            assertNotEquals(reference.scores(2)[rec.recommend("u2", 1, ItemFilter.COLD).getFirst().item()],
                    rec.recommend("u2", 1, ItemFilter.COLD).getFirst().score());
        }
    }

    /** A new item with a cold model item's content is scored as that item: same encoding, same evidence. */
    @Test
    void anAddedItemGetsTheEvidenceOfItsContent() {
        int twin = data.numItem() - 3;
        FeatureMatrix v = data.content().modalities().getFirst();
        int w = (int) v.cols();
        float[] features = v.data().asSlice((long) twin * w * Float.BYTES, (long) w * Float.BYTES)
                .toArray(ValueLayout.JAVA_FLOAT);
        try (Recommender rec = Recommender.open(dir.resolve("fused"), Device.CPU, 1,
                RetrievalOptions.of(Retrieval.EXACT))) {
            rec.addItems(List.of(new NewItem("twin", Map.of(v.name(), features))));
            for (int u = 0; u < data.numUser(); u += 5) {
                List<Recommendation> all = rec.recommend("u" + u, data.numItem() + 1, ItemFilter.COLD);
                float twinScore = score(all, "twin");
                float modelScore = score(all, "item-" + twin);
                assertEquals(modelScore, twinScore, 1e-5 * Math.max(1, Math.abs(modelScore)), "user " + u);
                assertEquals(reference.scores(u)[twin], modelScore, 1e-5 * Math.max(1, Math.abs(modelScore)));
            }
        }
    }

    private static float score(List<Recommendation> list, String id) {
        return list.stream().filter(r -> r.itemId().equals(id)).findFirst().orElseThrow().score();
    }

    /**
     * A folded-in user's cold scores are the fusion of its own model scores (the same bundle without
     * fusion gives them) with the profile of its recorded items, standardised over the cold items.
     */
    @Test
    void aFoldedInUserIsFusedWithTheProfileOfItsRecordedItems() {
        int[] liked = {3, 17, 40, 41, 99};
        List<Interaction> history = new ArrayList<>();
        for (int i : liked) {
            history.add(new Interaction("newcomer", "item-" + i, 1000 + i));
        }
        int numCold = data.numItem() - data.numWarmItem();
        float[] modelScores = new float[numCold];
        try (Recommender plain = Recommender.open(dir.resolve("plain"), Device.CPU, 1,
                RetrievalOptions.of(Retrieval.EXACT))) {
            plain.recordInteractions(history);
            for (Recommendation r : plain.recommend("newcomer", numCold, ItemFilter.COLD)) {
                modelScores[r.item() - data.numWarmItem()] = r.score();
            }
        }
        ProfileEvidence x = ProfileEvidence.of(data.content());
        float[] profile = x.profile(liked, 0, liked.length, List.of()).vector();
        float[] contentScores = new float[numCold];
        for (int j = 0; j < numCold; j++) {
            float[] item = x.dense(x.row(data.numWarmItem() + j));
            float s = 0;
            for (int c = 0; c < x.width(); c++) {
                s += profile[c] * item[c];
            }
            contentScores[j] = s;
        }
        float[] expected = fused(modelScores, contentScores, WEIGHT);
        try (Recommender rec = Recommender.open(dir.resolve("fused"), Device.CPU, 1,
                RetrievalOptions.of(Retrieval.EXACT))) {
            rec.recordInteractions(history);
            List<Recommendation> served = rec.recommend("newcomer", numCold, ItemFilter.COLD);
            assertEquals(numCold, served.size());
            for (Recommendation r : served) {
                float e = expected[r.item() - data.numWarmItem()];
                assertEquals(e, r.score(), 1e-5 * Math.max(1, Math.abs(e)), "item " + r.item());
            }
        }
    }

    // FusedRanker's definition, written out: z(model) + w z(content), mapped back to the model's mean and spread.
    private static float[] fused(float[] model, float[] content, double w) {
        int n = model.length;
        double mm = 0;
        double mc = 0;
        for (int j = 0; j < n; j++) {
            mm += model[j];
            mc += content[j];
        }
        mm /= n;
        mc /= n;
        double sm = 0;
        double sc = 0;
        for (int j = 0; j < n; j++) {
            sm += (model[j] - mm) * (model[j] - mm);
            sc += (content[j] - mc) * (content[j] - mc);
        }
        sm = Math.sqrt(sm / n);
        sc = Math.sqrt(sc / n);
        double[] mixed = new double[n];
        double sx = 0;
        for (int j = 0; j < n; j++) {
            mixed[j] = (model[j] - mm) / sm + w * (content[j] - mc) / sc;
            sx += mixed[j] * mixed[j];
        }
        sx = Math.sqrt(sx / n);
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            out[j] = (float) (mm + sm * mixed[j] / sx);
        }
        return out;
    }

    @Test
    void aFusionThisBuildCannotServeIsRefusedNamingTheField() throws Exception {
        Path bad = dir.resolve("bad");
        copyTree(dir.resolve("fused"), bad);
        Path manifest = bad.resolve("manifest.json");
        String text = Files.readString(manifest);
        assertTrue(text.contains("\"content_fusion\""), text);
        String evidence = "\"evidence\" : \"" + BundleManifest.ContentFusion.PROFILE + "\"";
        assertTrue(text.contains(evidence), text);
        Files.writeString(manifest, text.replace(evidence, "\"evidence\" : \"knn\""));
        BundleFormatException e = assertThrows(BundleFormatException.class,
                () -> Recommender.open(bad, Device.CPU, 1).close());
        assertTrue(e.getMessage().contains("content_fusion"), e.getMessage());
    }

    /** A version 1 bundle (before content fusion) still opens, and ranks new items by the model alone. */
    @Test
    void aVersionOneBundleOpensAsTheModelAlone() throws Exception {
        Path old = dir.resolve("version-1");
        copyTree(dir.resolve("plain"), old);
        Path manifest = old.resolve("manifest.json");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(manifest.toFile());
        tree.put("format_version", 1);
        tree.remove("content_fusion");
        json.writeValue(manifest.toFile(), tree);
        try (Recommender v1 = Recommender.open(old, Device.CPU, 1, RetrievalOptions.of(Retrieval.EXACT));
             Recommender plain = Recommender.open(dir.resolve("plain"), Device.CPU, 1,
                     RetrievalOptions.of(Retrieval.EXACT))) {
            assertEquals(0.0, v1.contentFusionWeight());
            assertEquals(plain.recommend("u4", 20, ItemFilter.ALL), v1.recommend("u4", 20, ItemFilter.ALL));
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
