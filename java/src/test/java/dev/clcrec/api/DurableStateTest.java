package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.Device;
import dev.clcrec.state.Interaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Recommender with a state directory: what it acknowledged is what it serves after a restart. */
class DurableStateTest {
    @TempDir static Path dir;
    static Dataset data;
    static Path bundle;

    @BeforeAll
    static void bundle() throws Exception {
        data = ServingFixtures.dataset();
        bundle = dir.resolve("bundle");
        ServingFixtures.trainBundle(data, bundle, 3, 2).close();
    }

    @AfterAll
    static void close() {
        data.close();
    }

    private static Recommender open(Path state, long snapshotEvery) {
        return Recommender.open(bundle, Device.CPU, 1, new StateOptions(state, snapshotEvery));
    }

    /**
     * Every user's full ranking (model users, a folded-in user, an unknown user) in every filter, once
     * the popular items' ranking has caught up (it is refreshed at most once a second).
     */
    private static List<Recommendations> everything(Recommender rec) {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<Recommendations> out = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int u = 0; u < data.numUser(); u++) {
            users.add("u" + u);
        }
        users.addAll(List.of("newcomer", "stranger"));
        for (String u : users) {
            for (ItemFilter f : ItemFilter.values()) {
                out.add(rec.recommendations(u, rec.catalogSize(), f));
            }
        }
        return out;
    }

    private static void assertSameRankings(List<Recommendations> expected, List<Recommendations> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Recommendations e = expected.get(i);
            Recommendations a = actual.get(i);
            assertEquals(e.basis(), a.basis(), e.user());
            assertEquals(e.items().size(), a.items().size(), e.user() + " " + i);
            for (int j = 0; j < e.items().size(); j++) {
                // Ids and scores; the dense numbers of runtime-added items are renumbered by a snapshot.
                Recommendation x = e.items().get(j);
                Recommendation y = a.items().get(j);
                assertEquals(x.itemId() + " " + x.score(), y.itemId() + " " + y.score(), e.user() + " list " + i
                        + " rank " + j);
            }
        }
    }

    private static void changeThings(Recommender rec, int round) {
        rec.addItems(List.of(ServingFixtures.copyOf(data, 100 + round, "new-" + round),
                ServingFixtures.copyOf(data, 5 + round, "copy-" + round)));
        rec.removeItems(List.of("item-" + (10 + round), "copy-" + round));
        List<InteractionOutcome> o = rec.recordInteractions(List.of(new Interaction("u1", "item-" + (20 + round), round),
                new Interaction("newcomer", "item-" + (30 + round), round),
                new Interaction("newcomer", "new-" + round, round),
                new Interaction("u2", "no-such-item", round)));
        assertEquals(List.of(true, true, true, false), o.stream().map(InteractionOutcome::recorded).toList());
        assertEquals("unknown_item", o.get(3).error());
    }

    @Test
    void restartServesExactlyWhatWasAcknowledged(@TempDir Path state) {
        List<Recommendations> before;
        try (Recommender rec = open(state, 1_000_000)) {
            for (int round = 0; round < 4; round++) {
                changeThings(rec, round);
            }
            before = everything(rec);
            assertEquals(Recommendations.Basis.FOLD_IN, rec.recommendations("newcomer", 5, ItemFilter.ALL).basis());
        }
        try (Recommender rec = open(state, 1_000_000)) {
            assertEquals(data.numItem(), rec.catalogSize()); // each round adds two items and removes two
            assertSameRankings(before, everything(rec));
            // Snapshot, more changes, restart: still exact, now from the snapshot plus the new journal.
            rec.snapshot();
            changeThings(rec, 4);
            before = everything(rec);
        }
        try (Recommender rec = open(state, 1_000_000)) {
            assertSameRankings(before, everything(rec));
        }
    }

    @Test
    void automaticSnapshotsKeepTheStateExact(@TempDir Path state) throws Exception {
        List<Recommendations> before;
        try (Recommender rec = open(state, 3)) {
            for (int round = 0; round < 8; round++) {
                changeThings(rec, round);
            }
            before = everything(rec);
        }
        try (var files = java.nio.file.Files.list(state)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("snapshot-")), "a snapshot was taken");
        }
        try (Recommender rec = open(state, 3)) {
            assertSameRankings(before, everything(rec));
        }
    }

    @Test
    void aRecordedItemLeavesTheUsersRecommendationsAtOnce(@TempDir Path state) {
        try (Recommender rec = open(state, 1_000_000)) {
            Recommendation top = rec.recommend("u7", 1, ItemFilter.ALL).getFirst();
            rec.recordInteractions(List.of(new Interaction("u7", top.itemId(), 1)));
            assertTrue(rec.recommend("u7", rec.catalogSize(), ItemFilter.ALL).stream()
                    .noneMatch(r -> r.itemId().equals(top.itemId())));
            assertEquals(List.of(top.itemId()), rec.recordedItems("u7"));
            // Other users still get it.
            assertTrue(rec.recommend("u8", rec.catalogSize(), ItemFilter.ALL).stream()
                    .anyMatch(r -> r.itemId().equals(top.itemId())));
        }
    }

    @Test
    void aNewUserIsFoldedInFromFiveInteractionsAndRanksLikeTheirItems() {
        try (Recommender rec = Recommender.open(bundle)) {
            Recommendations none = rec.recommendations("fresh", 10, ItemFilter.ALL);
            assertEquals(Recommendations.Basis.POPULAR, none.basis());
            assertEquals(10, none.items().size());
            assertThrows(CatalogException.class, () -> rec.recommend("fresh", 10, ItemFilter.ALL));
            // Give the newcomer exactly u4's first five training items: the fitted user should prefer
            // u4's other training items to random ones, as u4's trained embedding does.
            List<String> u4 = new ArrayList<>();
            var train = data.train();
            for (long p = train.offsets()[4]; p < train.offsets()[5]; p++) {
                u4.add("item-" + train.columns()[(int) p]);
            }
            assertTrue(u4.size() >= 6, "u4 has " + u4.size() + " training items");
            List<Interaction> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                five.add(new Interaction("fresh", u4.get(i), i));
            }
            long t0 = System.nanoTime();
            rec.recordInteractions(five);
            long micros = (System.nanoTime() - t0) / 1000;
            Recommendations r = rec.recommendations("fresh", rec.catalogSize(), ItemFilter.ALL);
            assertEquals(Recommendations.Basis.FOLD_IN, r.basis());
            List<String> ranked = r.items().stream().map(Recommendation::itemId).toList();
            assertTrue(ranked.stream().noneMatch(five.stream().map(Interaction::item).toList()::contains));
            double meanRankOfRest = u4.subList(5, u4.size()).stream().mapToInt(ranked::indexOf).average().orElseThrow();
            assertTrue(meanRankOfRest < ranked.size() * 0.4, "u4's other items rank at " + meanRankOfRest + " of "
                    + ranked.size() + " (fold-in took " + micros + " us)");
        }
    }

    @Test
    void aDirectoryInUseIsRefusedAndTheBundleStillServes(@TempDir Path state) {
        try (Recommender rec = open(state, 10)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(state, 10));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertNotNull(rec.recommend("u1", 3, ItemFilter.ALL));
        }
    }

    @Test
    void addingAndRemovingOneItemCopiesNothingAndCompactionKeepsRankings() {
        try (Recommender rec = Recommender.open(bundle)) {
            List<Recommendation> before = rec.recommend("u9", 20, ItemFilter.ALL);
            // Enough churn to trigger several compactions (a quarter of the rows, at least 8 blocks).
            for (int i = 0; i < 6000; i++) {
                rec.addItems(List.of(ServingFixtures.copyOf(data, 110, "churn-" + i)));
                rec.removeItems(List.of("churn-" + i));
            }
            assertEquals(data.numItem(), rec.catalogSize());
            List<Recommendation> after = rec.recommend("u9", 20, ItemFilter.ALL);
            assertEquals(before.stream().map(Recommendation::itemId).toList(),
                    after.stream().map(Recommendation::itemId).toList());
        }
    }
}
