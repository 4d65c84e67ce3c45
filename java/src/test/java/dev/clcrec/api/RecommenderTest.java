package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.SyntheticData;
import dev.clcrec.train.TrainOptions;
import dev.clcrec.train.TrainingListener;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommenderTest {
    @TempDir static Path dir;
    static Dataset data;
    static Recommender rec;

    @BeforeAll
    static void train() throws Exception {
        data = SyntheticData.create(100, 120, 100, 4, 12, 5, true);
        ModelConfig m = ModelConfig.defaults(1, 1, 1).withDimE(16).withHiddenDim(32).withLearningRate(0.01)
                .withLrLambda(0.5).withDevice(Device.CPU).withNumThreads(2);
        RunConfig c = new RunConfig(m, new SamplingConfig(64, 16, 0.5, 1, 1, false),
                new TrainOptions(2, 7, 10, dir.resolve("best.ckpt"), null, 0), new int[] {10}, 100, null);
        rec = Recommender.train(data, c, TrainingListener.NONE);
    }

    @AfterAll
    static void close() {
        rec.close();
        data.close();
    }

    @Test
    void concurrentRecommendationsEqualSequentialOnes() throws Exception {
        List<List<Recommendation>> sequential = new ArrayList<>();
        for (int u = 0; u < data.numUser(); u++) {
            sequential.add(rec.recommend(u, 10, ItemFilter.values()[u % 3]));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < 3; round++) {
                List<Future<List<Recommendation>>> futures = new ArrayList<>();
                for (int u = data.numUser() - 1; u >= 0; u--) {
                    int user = u;
                    futures.add(pool.submit(() -> rec.recommend(user, 10, ItemFilter.values()[user % 3])));
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertEquals(sequential.get(data.numUser() - 1 - i), futures.get(i).get());
                }
            }
        }
    }

    @Test
    void filtersExclusionsAndExternalIds() {
        for (int u = 0; u < data.numUser(); u++) {
            List<Recommendation> cold = rec.recommend(u, 10, ItemFilter.COLD);
            assertEquals(10, cold.size());
            for (Recommendation r : cold) {
                assertTrue(r.item() >= data.numWarmItem(), "warm item in a cold-only list");
                assertEquals("item-" + r.item(), r.itemId());
            }
            for (Recommendation r : rec.recommend(u, 30, ItemFilter.WARM)) {
                assertTrue(r.item() < data.numWarmItem());
                assertFalse(data.train().contains(u, r.item()), "recommended a training item");
            }
            List<Recommendation> all = rec.recommend(u, 5, ItemFilter.ALL);
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).score() >= all.get(i).score());
            }
        }
        assertEquals(rec.recommend(7, 5, ItemFilter.ALL), rec.recommend("u7", 5, ItemFilter.ALL));
        assertThrows(IllegalArgumentException.class, () -> rec.recommend("nobody", 5, ItemFilter.ALL));
        assertThrows(IllegalArgumentException.class, () -> rec.recommend(-1, 5, ItemFilter.ALL));
    }

    @Test
    void newItemsEmbedLikeTheEncoderAndRankImmediately() {
        FeatureMatrix v = data.content().modalities().getFirst();
        // the last 20 items, presented as "new" items
        long rows = 20;
        long from = data.numItem() - rows;
        MemorySegment slice = v.data().asSlice(from * v.cols() * 4, rows * v.cols() * 4);
        float[] emb = rec.embedNewItems(rows, new ContentFeatures(List.of(new FeatureMatrix("v", slice, rows, v.cols()))));
        float[] enc = rec.model().encoderOutput();
        int dim = rec.model().config().dimE();
        for (int i = 0; i < rows * dim; i++) {
            assertEquals(enc[(int) (from * dim) + i], emb[i], 1e-5f);
        }
        // cold items rank by the encoder output too: same order as the cold-only recommendation
        List<Recommendation> fresh = rec.recommendNewItems(3, emb, 5);
        List<Recommendation> cold = rec.recommend(3, 5, ItemFilter.COLD);
        List<Integer> coldRows = cold.stream().map(r -> (int) (r.item() - from)).toList();
        List<Integer> freshRows = fresh.stream().map(Recommendation::item).filter(r -> !data.train().contains(3, (int) (r + from))).toList();
        assertEquals(coldRows, freshRows.subList(0, Math.min(freshRows.size(), coldRows.size())));
        // k is checked as recommend checks it, instead of silently giving nothing
        assertThrows(IllegalArgumentException.class, () -> rec.recommendNewItems(3, emb, 0));
    }

    @Test
    void savedModelLoadsWithTheSameAnswers(@TempDir Path tmp) {
        Path ckpt = tmp.resolve("m.ckpt");
        rec.save(ckpt);
        try (Recommender again = Recommender.load(ckpt, data, Device.CPU, 1)) {
            assertEquals(rec.recommend(11, 10, ItemFilter.ALL), again.recommend(11, 10, ItemFilter.ALL));
            assertEquals(rec.evaluate(new int[] {10}, 30), again.evaluate(new int[] {10}, 30));
        }
    }
}
