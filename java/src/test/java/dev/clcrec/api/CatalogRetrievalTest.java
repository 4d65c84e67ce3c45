package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.Device;
import dev.clcrec.retrieval.Retrieval;
import dev.clcrec.state.Interaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live catalog served through its HNSW graph: with a search wide enough to reach every item the
 * lists are those of the exact scan, item for item and score for score, through adds, removals,
 * recorded interactions, compaction and restarts; a model's graph is stored and loaded back.
 */
class CatalogRetrievalTest {
    @TempDir static Path dir;
    static Dataset data;
    static Path bundle;
    /** Wide: the graph reaches nearly every item of these small catalogs (an HNSW walk is never sure to reach all). */
    static final RetrievalOptions WIDE_HNSW = RetrievalOptions.of(Retrieval.HNSW).withEfSearch(400);

    @BeforeAll
    static void bundle() throws Exception {
        data = ServingFixtures.dataset();
        bundle = dir.resolve("bundle");
        ServingFixtures.trainBundle(data, bundle, 5, 2).close();
    }

    @AfterAll
    static void close() {
        data.close();
    }

    static void awaitGraph(Recommender rec) throws InterruptedException {
        for (int i = 0; i < 600 && !rec.retrievalInUse().equals("hnsw"); i++) {
            Thread.sleep(50);
        }
        assertEquals("hnsw", rec.retrievalInUse());
    }

    /** Each request's answer, keyed by user, filter and k (k = 200 standing for "all but the longest"). */
    private static java.util.Map<String, Recommendations> lists(Recommender rec) {
        java.util.Map<String, Recommendations> out = new java.util.LinkedHashMap<>();
        List<String> users = new ArrayList<>();
        for (int u = 0; u < data.numUser(); u += 3) {
            users.add("u" + u);
        }
        users.add("newcomer");
        for (String u : users) {
            for (ItemFilter f : ItemFilter.values()) {
                for (int k : new int[] {1, 10, 200}) {
                    out.put(u + " " + f + " " + k, rec.recommendations(u, Math.min(k, rec.catalogSize()), f));
                }
            }
        }
        return out;
    }

    /**
     * The graph's answers against the scan's: as many items, each one an item the scan ranks for that
     * request with the very same score (so exclusions, filters and removals hold and scores are exact),
     * in the scan's order, and at least 0.95 of the scan's items found (recall over every request).
     */
    private static void assertCloseToExact(java.util.Map<String, Recommendations> exact,
                                           java.util.Map<String, Recommendations> hnsw) {
        assertEquals(exact.keySet(), hnsw.keySet());
        long found = 0;
        long wanted = 0;
        for (String key : exact.keySet()) {
            Recommendations e = exact.get(key);
            Recommendations h = hnsw.get(key);
            assertEquals(e.basis(), h.basis(), key);
            assertEquals(e.items().size(), h.items().size(), key);
            String all = key.substring(0, key.lastIndexOf(' ')) + " 200";
            java.util.Map<String, Float> scores = new java.util.HashMap<>();
            exact.get(all).items().forEach(x -> scores.put(x.itemId(), x.score()));
            java.util.Set<String> expected = new java.util.HashSet<>();
            e.items().forEach(x -> expected.add(x.itemId()));
            float previous = Float.POSITIVE_INFINITY;
            for (Recommendation x : h.items()) {
                if (e.basis() != Recommendations.Basis.POPULAR) {
                    Float s = scores.get(x.itemId());
                    if (s != null) { // beyond the 200 the reference holds, the order check below still applies
                        assertEquals(s, x.score(), key + " " + x.itemId());
                    }
                }
                assertTrue(x.score() <= previous, key + ": not in score order at " + x.itemId());
                previous = x.score();
                found += expected.contains(x.itemId()) ? 1 : 0;
            }
            wanted += expected.size();
        }
        double recall = found / (double) wanted;
        assertTrue(recall >= 0.95, "recall " + recall + " over " + wanted + " items");
    }

    private static void change(Recommender rec, int round) {
        rec.addItems(List.of(ServingFixtures.copyOf(data, 3 + round, "added-" + round),
                ServingFixtures.copyOf(data, 110 + round % 10, "added-cold-" + round)));
        rec.removeItems(List.of("item-" + (7 + round)));
        rec.recordInteractions(List.of(new Interaction("u" + round, "item-" + (30 + round), round),
                new Interaction("newcomer", "added-" + round, round)));
    }

    @Test
    void theGraphServesTheExactListsThroughChanges() throws Exception {
        try (Recommender exact = Recommender.open(bundle, Device.CPU, 1, RetrievalOptions.of(Retrieval.EXACT));
             Recommender hnsw = Recommender.open(bundle, Device.CPU, 1, WIDE_HNSW)) {
            awaitGraph(hnsw);
            assertEquals("exact", exact.retrievalInUse());
            assertCloseToExact(lists(exact), lists(hnsw));
            for (int round = 0; round < 5; round++) {
                change(exact, round);
                change(hnsw, round);
            }
            assertCloseToExact(lists(exact), lists(hnsw));
        }
    }

    @Test
    void autoScansSmallCatalogsExactly() {
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1)) {
            assertEquals("exact", rec.retrievalInUse());
            rec.recommendations("u1", 10, ItemFilter.ALL);
            assertTrue(Double.isNaN(rec.retrievalRecall()), "no graph, no recall estimate");
        }
    }

    @Test
    void theServedRecallIsSampledAgainstTheScan() throws Exception {
        // a search of width 1 on a graph of 120 items: the graph misses some of the exact top 10
        RetrievalOptions narrow = RetrievalOptions.of(Retrieval.HNSW).withEfSearch(1);
        try (Recommender wide = Recommender.open(bundle, Device.CPU, 1, WIDE_HNSW);
             Recommender rec = Recommender.open(bundle, Device.CPU, 1, narrow)) {
            awaitGraph(wide);
            awaitGraph(rec);
            assertTrue(Double.isNaN(rec.retrievalRecall()));
            double estimate = Double.NaN;
            for (int i = 0; i < 80 && !Double.isFinite(estimate); i++) { // a sample a second at most
                rec.recommendations("u" + i % 100, 10, ItemFilter.COLD);
                wide.recommendations("u" + i % 100, 10, ItemFilter.ALL);
                Thread.sleep(100);
                estimate = rec.retrievalRecall();
            }
            assertTrue(estimate >= 0 && estimate <= 1, "estimate " + estimate);
            for (int i = 0; i < 30 && !Double.isFinite(wide.retrievalRecall()); i++) {
                Thread.sleep(100);
            }
            assertTrue(wide.retrievalRecall() >= 0.9, "a wide search keeps the exact items: " + wide.retrievalRecall());
        }
    }

    @Test
    void aCompactedCatalogGetsANewGraph() throws Exception {
        try (Recommender exact = Recommender.open(bundle, Device.CPU, 1, RetrievalOptions.of(Retrieval.EXACT));
             Recommender hnsw = Recommender.open(bundle, Device.CPU, 1, WIDE_HNSW)) {
            awaitGraph(hnsw);
            // enough removals for the catalog to compact (a quarter of its rows, at least 8 blocks)
            List<NewItem> added = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                added.add(perturbed(ServingFixtures.copyOf(data, i % 120, "bulk-" + i), i));
            }
            exact.addItems(added);
            hnsw.addItems(added);
            List<String> gone = new ArrayList<>();
            for (int i = 0; i < 4_200; i++) {
                gone.add("bulk-" + i);
            }
            exact.removeItems(gone);
            hnsw.removeItems(gone);
            awaitGraph(hnsw);
            assertCloseToExact(lists(exact), lists(hnsw));
        }
    }

    /** The item with its content moved a little, so that no two of the bulk items are the same vector. */
    private static NewItem perturbed(NewItem item, int i) {
        java.util.Map<String, float[]> f = new java.util.LinkedHashMap<>();
        item.features().forEach((name, v) -> {
            float[] w = v.clone();
            w[i % w.length] += 0.01f * (1 + i % 97);
            f.put(name, w);
        });
        return new NewItem(item.id(), f);
    }

    @Test
    void aModelsGraphIsStoredAndLoadedAtTheNextStart() throws Exception {
        Path state = dir.resolve("state-stored");
        java.util.Map<String, Recommendations> expected;
        try (Recommender exact = Recommender.open(bundle, Device.CPU, 1, RetrievalOptions.of(Retrieval.EXACT))) {
            for (int round = 0; round < 3; round++) {
                change(exact, round);
            }
            expected = lists(exact);
        }
        java.util.Map<String, Recommendations> built;
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state), WIDE_HNSW)) {
            awaitGraph(rec);
            for (int round = 0; round < 3; round++) {
                change(rec, round);
            }
            built = lists(rec);
            assertCloseToExact(expected, built);
        }
        Path graph = onlyGraph(state);
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state), WIDE_HNSW)) {
            // loaded before the journal was replayed: no build, no wait, and the same graph as built
            assertEquals("hnsw", rec.retrievalInUse());
            assertEquals(built, lists(rec));
        }
        byte[] bytes = Files.readAllBytes(graph);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(graph, bytes);
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state), WIDE_HNSW)) {
            // the damaged graph is not used: the catalog is scanned while a new one is built and stored
            awaitGraph(rec);
            assertEquals(built, lists(rec));
        }
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state), WIDE_HNSW)) {
            assertEquals("hnsw", rec.retrievalInUse());
        }
    }

    private static Path onlyGraph(Path state) throws Exception {
        try (Stream<Path> s = Files.list(state.resolve("index"))) {
            List<Path> graphs = s.filter(p -> p.toString().endsWith(".graph")).toList();
            assertEquals(1, graphs.size(), graphs.toString());
            assertTrue(Files.size(graphs.get(0)) > 0);
            return graphs.get(0);
        }
    }
}
