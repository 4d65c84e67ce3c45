package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.Device;
import dev.clcrec.state.Interaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retraining inside a Recommender with a state directory: swap, gate, rollback, restart. */
class RetrainTest {
    @TempDir static Path dir;
    static Dataset data;
    static Path bundle;

    @BeforeAll
    static void bundle() throws Exception {
        data = ServingFixtures.dataset();
        bundle = dir.resolve("bundle");
        ServingFixtures.trainBundle(data, bundle, 3, 8).close();
    }

    @AfterAll
    static void close() {
        data.close();
    }

    static RetrainOptions quick() {
        return RetrainOptions.defaults().withEpochs(3).withSampling(64, 16).withTolerance(1.0);
    }

    /**
     * What users did while serving, at shuffled times: the held-out (validation and test) interactions
     * of the dataset, with the cold items item-100 and item-101 replaced by two added copies of their
     * content (fresh-a, fresh-b), and three new users who repeat the training items of u0, u1 and u2.
     */
    static void record(Recommender rec) {
        rec.addItems(List.of(ServingFixtures.copyOf(data, 100, "fresh-a"), ServingFixtures.copyOf(data, 101, "fresh-b")));
        var ids = data.ids().orElseThrow();
        List<Interaction> xs = new ArrayList<>();
        for (var split : dev.clcrec.data.Split.values()) {
            var held = data.heldOut(split, dev.clcrec.data.Setting.ALL);
            for (int u = 0; u < data.numUser(); u++) {
                for (int i : held.row(u)) {
                    String item = i == 100 ? "fresh-a" : i == 101 ? "fresh-b" : ids.externalItem(i);
                    xs.add(new Interaction(ids.externalUser(u), item, 0));
                }
            }
        }
        for (int k = 0; k < 3; k++) {
            for (int i : data.train().row(k)) {
                xs.add(new Interaction("newbie-" + k, ids.externalItem(i), 0));
            }
        }
        Random r = new Random(11);
        java.util.Collections.shuffle(xs, r);
        List<Interaction> timed = new ArrayList<>();
        for (int k = 0; k < xs.size(); k++) { // times in another order than arrival
            timed.add(new Interaction(xs.get(k).user(), xs.get(k).item(), 1_000 + r.nextInt(1_000_000)));
        }
        for (InteractionOutcome o : rec.recordInteractions(timed)) {
            assertTrue(o.recorded(), o.toString());
        }
    }

    @Test
    void aRetrainSwapsInAModelWhereAddedItemsAreWarmAndNewUsersAreModelUsers() {
        Path state = dir.resolve("state-swap");
        String before;
        String middle;
        String after;
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state))) {
            before = rec.modelVersion();
            rec.configureRetraining(quick());
            assertEquals(RetrainOutcome.Outcome.SKIPPED, rec.retrain().outcome(), "nothing recorded yet");
            record(rec);
            int users = rec.numUsers();
            assertEquals(Recommendations.Basis.FOLD_IN, rec.recommendations("newbie-1", 5, ItemFilter.ALL).basis());
            assertTrue(rec.recommendations("u99", rec.catalogSize(), ItemFilter.COLD).items().stream()
                    .anyMatch(x -> x.itemId().equals("fresh-a")), "an added item is cold before the retrain");
            RetrainOutcome o = rec.retrain();
            assertEquals(RetrainOutcome.Outcome.SWAPPED, o.outcome(), o.reason());
            after = rec.modelVersion();
            assertNotEquals(before, after);
            assertEquals(o.candidateVersion(), after);
            assertTrue(Double.isFinite(o.servingValue()) && Double.isFinite(o.candidateValue()), o.toString());
            assertTrue(o.holdoutPairs() > 0);
            // the new users trained before the holdout became model users
            assertTrue(rec.numUsers() > users, rec.numUsers() + " users");
            assertEquals(3, rec.numUsers() - users);
            assertEquals(3, o.newUsers());
            assertEquals(Recommendations.Basis.MODEL, rec.recommendations("newbie-1", 5, ItemFilter.ALL).basis());
            // the added items with interactions are warm items of the new model now
            assertTrue(o.becameWarm() >= 2, o.toString());
            List<String> warm = rec.recommendations("u99", rec.catalogSize(), ItemFilter.WARM).items().stream()
                    .map(Recommendation::itemId).toList();
            assertTrue(warm.contains("fresh-a") && warm.contains("fresh-b"), "warm list: " + warm);
            // the holdout was not trained on: it is what the next retrain has to learn from
            middle = after;
            RetrainOutcome next = rec.retrain();
            assertEquals(RetrainOutcome.Outcome.SWAPPED, next.outcome(), next.reason());
            assertEquals(o.holdoutPairs(), next.newInteractions(), next.toString());
            after = rec.modelVersion();
        }
        // the swapped-in bundle is in force after a restart
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state))) {
            assertEquals(after, rec.modelVersion());
            RetrainOutcome back = rec.rollback();
            assertEquals(RetrainOutcome.Outcome.ROLLED_BACK, back.outcome());
            assertEquals(middle, rec.modelVersion());
            rec.rollback();
            assertEquals(before, rec.modelVersion());
            assertThrows(IllegalStateException.class, rec::rollback);
        }
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state))) {
            assertEquals(before, rec.modelVersion(), "the rollback is durable");
        }
    }

    /**
     * A model that fuses content evidence passes its weight on to a retrained one; here the retrain
     * leaves too few items without interactions to calibrate on, so the new model ranks its cold
     * items alone (and says so), and a restart serves it the same way.
     */
    @Test
    void aRetrainedModelKeepsTheContentFusionWeight() {
        Path fused = dir.resolve("fused-bundle");
        try (Recommender trained = Recommender.load(dir.resolve("bundle.ckpt"), data, data.content(), Device.CPU, 1,
                0.5)) {
            trained.saveBundle(fused);
        }
        Path state = dir.resolve("state-fused");
        String after;
        try (Recommender rec = Recommender.open(fused, Device.CPU, 1, new StateOptions(state))) {
            assertEquals(0.5, rec.contentFusionWeight());
            rec.configureRetraining(quick());
            record(rec);
            RetrainOutcome o = rec.retrain();
            assertEquals(RetrainOutcome.Outcome.SWAPPED, o.outcome(), o.reason());
            after = rec.modelVersion();
            var manifest = dev.clcrec.bundle.BundleReader.verify(o.bundle());
            assertEquals(0.5, manifest.contentFusion().weight(), "the weight carries over to the retrained model");
            assertTrue(manifest.numItem() - manifest.numWarmItem() < dev.clcrec.eval.FusionCalibration.MIN_ITEMS,
                    manifest.numItem() - manifest.numWarmItem() + " cold items");
            assertEquals(0.0, rec.contentFusionWeight(), "too few cold items to calibrate on");
            assertFalse(rec.recommendations("newbie-1", 10, ItemFilter.ALL).items().isEmpty());
        }
        try (Recommender rec = Recommender.open(fused, Device.CPU, 1, new StateOptions(state))) {
            assertEquals(after, rec.modelVersion());
            assertEquals(0.0, rec.contentFusionWeight());
        }
    }

    @Test
    void aWorseCandidateIsRefusedAndKeptAsideWhileTheOldModelServes() throws Exception {
        Path state = dir.resolve("state-gate");
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state))) {
            String before = rec.modelVersion();
            record(rec);
            // an untrained model from scratch: far worse on the holdout than the trained one
            rec.configureRetraining(quick().withInit(RetrainOptions.Init.SCRATCH).withEpochs(0).withTolerance(0));
            List<RetrainOutcome> seen = new ArrayList<>();
            rec.onRetrain(seen::add);
            RetrainOutcome o = rec.retrain();
            assertEquals(RetrainOutcome.Outcome.REFUSED, o.outcome(), o.reason());
            assertTrue(o.candidateValue() < o.servingValue(), o.toString());
            assertEquals(before, rec.modelVersion());
            assertEquals(List.of(o), seen);
            assertTrue(Files.isRegularFile(o.bundle().resolve("REFUSED.txt")), o.bundle().toString());
            assertTrue(Files.readString(o.bundle().resolve("REFUSED.txt")).contains("candidate"));
            assertThrows(IllegalStateException.class, rec::rollback, "nothing was swapped in");
        }
    }

    @Test
    void aScheduleRetrainsOnItsOwnOnceThereIsEnoughToLearnFrom() throws Exception {
        Path state = dir.resolve("state-schedule");
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state))) {
            String before = rec.modelVersion();
            List<RetrainOutcome> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            rec.onRetrain(seen::add);
            rec.configureRetraining(quick().withEvery(java.time.Duration.ofMillis(200)).withMinInteractions(100));
            Thread.sleep(700);
            assertEquals(before, rec.modelVersion(), "fewer than 100 new interactions: nothing to do");
            assertTrue(seen.stream().allMatch(o -> o.outcome() == RetrainOutcome.Outcome.SKIPPED
                    && o.trigger().equals("schedule")), seen.toString());
            record(rec);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (rec.modelVersion().equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertNotEquals(before, rec.modelVersion(), seen.toString());
            assertTrue(seen.stream().anyMatch(o -> o.outcome() == RetrainOutcome.Outcome.SWAPPED
                    && o.trigger().equals("schedule")));
        }
    }

    @Test
    void withoutAStateDirectoryThereIsNoRetraining() {
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1)) {
            assertFalse(rec.canRetrain());
            IllegalStateException e = assertThrows(IllegalStateException.class, rec::retrain);
            assertTrue(e.getMessage().contains("state directory"), e.getMessage());
        }
    }
}
