package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveCatalogTest {
    @TempDir static Path dir;
    static Dataset data;
    static Path bundleA;
    static Path bundleB;

    @BeforeAll
    static void bundles() throws Exception {
        data = ServingFixtures.dataset();
        bundleA = dir.resolve("a");
        bundleB = dir.resolve("b");
        ServingFixtures.trainBundle(data, bundleA, 3, 2).close();
        ServingFixtures.trainBundle(data, bundleB, 4, 1).close();
    }

    @AfterAll
    static void close() {
        data.close();
    }

    /** The cold item this user ranks first among cold items. */
    private static Recommendation topCold(Recommender rec, String user) {
        return rec.recommend(user, 1, ItemFilter.COLD).getFirst();
    }

    @Test
    void addedItemsRankNextToExistingOnesForEveryUserAndInTheColdFilter() {
        try (Recommender rec = Recommender.open(bundleA)) {
            Recommendation best = topCold(rec, "u3");
            rec.addItems(List.of(ServingFixtures.copyOf(data, best.item(), "new-1")));
            assertEquals(data.numItem() + 1, rec.catalogSize());
            assertTrue(rec.containsItem("new-1"));
            // Same content, same encoder: the new item scores like the cold item it copies, for everyone
            // (up to rounding: the engine encodes it in a batch of another size).
            for (int u = 0; u < data.numUser(); u++) {
                List<Recommendation> all = rec.recommend(u, data.numItem() + 1, ItemFilter.ALL);
                Map<String, Float> score = new HashMap<>();
                all.forEach(r -> score.put(r.itemId(), r.score()));
                assertEquals(score.get(best.itemId()), score.get("new-1"), 1e-5f, "user " + u);
            }
            List<Recommendation> cold = rec.recommend("u3", 2, ItemFilter.COLD);
            assertEquals(Set.of(best.itemId(), "new-1"), Set.copyOf(cold.stream().map(Recommendation::itemId).toList()));
            Recommendation added = cold.stream().filter(r -> r.itemId().equals("new-1")).findFirst().orElseThrow();
            assertEquals(data.numItem(), added.item()); // dense ids continue after the model's items
            assertTrue(rec.recommend("u3", data.numItem(), ItemFilter.WARM).stream()
                    .noneMatch(r -> r.itemId().equals("new-1")));
        }
    }

    @Test
    void removedItemsAreNeverRecommended() {
        try (Recommender rec = Recommender.open(bundleA)) {
            Recommendation best = rec.recommend("u5", 1, ItemFilter.ALL).getFirst();
            rec.addItems(List.of(ServingFixtures.copyOf(data, 110, "new-2")));
            rec.removeItems(List.of(best.itemId(), "new-2"));
            assertFalse(rec.containsItem(best.itemId()));
            assertEquals(data.numItem() - 1, rec.catalogSize());
            for (int u = 0; u < data.numUser(); u++) {
                for (Recommendation r : rec.recommend(u, data.numItem(), ItemFilter.ALL)) {
                    assertNotEquals(best.itemId(), r.itemId());
                    assertNotEquals("new-2", r.itemId());
                }
            }
            CatalogException e = assertThrows(CatalogException.class, () -> rec.removeItems(List.of("nope")));
            assertEquals(CatalogException.Kind.UNKNOWN_ITEM, e.kind());
            // Re-adding a removed id brings it back from the given content.
            rec.addItems(List.of(ServingFixtures.copyOf(data, 110, best.itemId())));
            assertTrue(rec.containsItem(best.itemId()));
        }
    }

    @Test
    void badNewItemsAreRefusedNamingTheFieldAndChangeNothing() {
        try (Recommender rec = Recommender.open(bundleA)) {
            NewItem good = ServingFixtures.copyOf(data, 105, "ok");
            Map<String, float[]> f = new HashMap<>(good.features());
            f.put("v", new float[3]);
            assertKind(rec, CatalogException.Kind.BAD_FEATURES, "features.v", new NewItem("w", f));
            f = new HashMap<>(good.features());
            float[] nan = good.features().get("v").clone();
            nan[1] = Float.NaN;
            f.put("v", nan);
            assertKind(rec, CatalogException.Kind.BAD_FEATURES, "features.v", new NewItem("n", f));
            f = new HashMap<>(good.features());
            f.remove("v");
            assertKind(rec, CatalogException.Kind.BAD_FEATURES, "features.v", new NewItem("m", f));
            f = new HashMap<>(good.features());
            f.put("x", new float[1]);
            assertKind(rec, CatalogException.Kind.BAD_FEATURES, "features.x", new NewItem("x", f));
            assertKind(rec, CatalogException.Kind.DUPLICATE_ITEM, "id", ServingFixtures.copyOf(data, 1, "item-7"));
            CatalogException dup = assertThrows(CatalogException.class, () -> rec.addItems(List.of(good, good)));
            assertEquals(CatalogException.Kind.DUPLICATE_ITEM, dup.kind());
            assertEquals(data.numItem(), rec.catalogSize());
            assertFalse(rec.containsItem("ok"));
            CatalogException user = assertThrows(CatalogException.class, () -> rec.recommend("nobody", 3, ItemFilter.ALL));
            assertEquals(CatalogException.Kind.UNKNOWN_USER, user.kind());
            assertThrows(CatalogException.class, () -> rec.recommend("u1", 0, ItemFilter.ALL));
        }
    }

    private static void assertKind(Recommender rec, CatalogException.Kind kind, String field, NewItem item) {
        CatalogException e = assertThrows(CatalogException.class, () -> rec.addItems(List.of(item)));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void reloadCarriesAddedItemsReEncodedAndKeepsRemovalsButTheBundleWinsForItsOwnIds() {
        try (Recommender rec = Recommender.open(bundleA); Recommender b = Recommender.open(bundleB)) {
            String versionA = rec.modelVersion();
            NewItem added = ServingFixtures.copyOf(data, 112, "new-3");
            rec.addItems(List.of(added));
            rec.removeItems(List.of("item-4", "item-9"));
            rec.addItems(List.of(ServingFixtures.copyOf(data, 113, "item-9"))); // removed, then re-added
            rec.reload(bundleB);
            assertNotEquals(versionA, rec.modelVersion());
            assertEquals(b.modelVersion(), rec.modelVersion());
            assertTrue(rec.containsItem("new-3"));
            assertFalse(rec.containsItem("item-4"));
            assertTrue(rec.containsItem("item-9"));
            assertEquals(data.numItem(), rec.catalogSize()); // +new-3, -item-4, item-9 is the bundle's again
            Map<String, Float> now = scores(rec, "u8");
            Map<String, Float> modelB = scores(b, "u8");
            // new-3 is re-encoded by model B: it scores like item-112, whose content it copies, under B.
            assertEquals(modelB.get("item-112"), now.get("new-3"), 1e-5f);
            // item-9 is the bundle's item, not the content it was re-added with (item-113's).
            assertEquals(modelB.get("item-9"), now.get("item-9"));
        }
    }

    private static Map<String, Float> scores(Recommender rec, String user) {
        Map<String, Float> m = new HashMap<>();
        rec.recommend(user, data.numItem() + 10, ItemFilter.ALL).forEach(r -> m.put(r.itemId(), r.score()));
        return m;
    }

    @Test
    void concurrentRecommendDuringAddsRemovesAndReloadsNeverFailsOrReturnsARemovedItem() throws Exception {
        try (Recommender rec = Recommender.open(bundleA); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Set<String> removed = ConcurrentHashMap.newKeySet();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong calls = new AtomicLong();
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long seed = t;
                readers.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    while (!done.get()) {
                        Set<String> gone = Set.copyOf(removed); // removed before this call started
                        ItemFilter f = ItemFilter.values()[r.nextInt(3)];
                        List<Recommendation> recs = rec.recommend("u" + r.nextInt(data.numUser()), 20, f);
                        assertFalse(recs.isEmpty());
                        for (Recommendation x : recs) {
                            assertFalse(gone.contains(x.itemId()), "removed item " + x.itemId() + " recommended");
                        }
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 60; i++) {
                rec.addItems(List.of(ServingFixtures.copyOf(data, 100 + i % 20, "live-" + i)));
                if (i % 3 == 0) {
                    String victim = i % 2 == 0 ? "live-" + (i / 2) : "item-" + i;
                    rec.removeItems(List.of(victim));
                    removed.add(victim);
                }
                if (i % 20 == 19) {
                    rec.reload(i % 40 == 19 ? bundleB : bundleA);
                }
            }
            done.set(true);
            for (Future<?> f : readers) {
                f.get(); // rethrows a reader's failure
            }
            assertTrue(calls.get() > 0);
            for (String id : removed) {
                assertFalse(rec.containsItem(id), id);
            }
        }
    }
}
