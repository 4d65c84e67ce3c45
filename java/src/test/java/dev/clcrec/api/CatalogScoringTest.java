package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.bundle.BundleWriter;
import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.train.SyntheticData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's blocked, column-wise scoring against a plain dot product: a catalog of several
 * scoring blocks (1,300 items, blocks of 512) and a width that is not a multiple of the four
 * dimensions a pass takes (dim 7), so both the tail block and the leftover dimensions are used.
 * Scores must be bit-for-bit those of the in-order dot product, and the ranking, exclusions and
 * filters those of a sort of all items.
 */
class CatalogScoringTest {
    @TempDir static Path dir;
    static Dataset data;
    static Recommender rec;
    static float[] users;
    static float[] items;
    static final int DIM = 7;

    @BeforeAll
    static void open() {
        data = SyntheticData.create(40, 1300, 1100, 5, 6, 11, true);
        ModelConfig c = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem()).withDimE(DIM)
                .withDevice(Device.CPU).withNumThreads(1).withSeed(5);
        try (ClcrecModel m = ClcrecModel.create(c, data.content())) {
            BundleWriter.write(dir.resolve("bundle"), m, data.content(), data.name(),
                    IntStream.range(0, data.numUser()).mapToObj(u -> "u" + u).toList(),
                    IntStream.range(0, data.numItem()).mapToObj(i -> "item-" + i).toList(), data.train());
            users = m.userEmbeddings();
            items = m.itemRepresentation();
        }
        rec = Recommender.open(dir.resolve("bundle"), Device.CPU, 1);
    }

    @AfterAll
    static void close() {
        rec.close();
        data.close();
    }

    private static float dot(int user, int item) {
        float s = 0f;
        for (int d = 0; d < DIM; d++) {
            s += users[user * DIM + d] * items[item * DIM + d];
        }
        return s;
    }

    /** Every qualifying model item, sorted as the catalog ranks: score descending, then dense id. */
    private static List<Recommendation> reference(int user, ItemFilter filter, Set<Integer> removed) {
        List<Recommendation> all = new ArrayList<>();
        for (int i = 0; i < data.numItem(); i++) {
            boolean cold = i >= data.numWarmItem();
            if (data.train().contains(user, i) || removed.contains(i)
                    || (filter == ItemFilter.WARM && cold) || (filter == ItemFilter.COLD && !cold)) {
                continue;
            }
            all.add(new Recommendation(i, "item-" + i, dot(user, i)));
        }
        all.sort(Comparator.comparingDouble((Recommendation r) -> -r.score()).thenComparingInt(Recommendation::item));
        return all;
    }

    @Test
    void fullRankingIsThePlainDotProductSortedForEveryUserAndFilter() {
        for (int u = 0; u < data.numUser(); u++) {
            for (ItemFilter f : ItemFilter.values()) {
                List<Recommendation> want = reference(u, f, Set.of());
                assertEquals(want, rec.recommend(u, data.numItem(), f), "user " + u + ", " + f);
                assertEquals(want.subList(0, 10), rec.recommend(u, 10, f), "top 10, user " + u + ", " + f);
            }
        }
    }

    @Test
    void removedItemsShiftRowsWithoutChangingScores() throws Exception {
        // Items in the first, a middle and the last block; afterwards every later row has moved.
        List<Integer> gone = List.of(3, 600, 1299);
        Set<Integer> removed = new HashSet<>(gone);
        try (Recommender r = Recommender.open(dir.resolve("bundle"), Device.CPU, 1)) {
            r.removeItems(gone.stream().map(i -> "item-" + i).toList());
            for (int u = 0; u < data.numUser(); u++) {
                assertEquals(reference(u, ItemFilter.ALL, removed), r.recommend(u, data.numItem(), ItemFilter.ALL),
                        "user " + u);
            }
        }
    }
}
