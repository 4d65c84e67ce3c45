package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.sampling.ItemSets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemKnnBaselineTest {
    @Test
    void scoresAreSimilaritiesOfTheUsersNeighbouringItems() {
        // Items 0..2 warm, 3 cold. Unit-free 2-d content: 0 = x, 1 = y, 2 = diagonal, 3 = almost x.
        float[] content = {1, 0, 0, 1, 1, 1, 1, 0.1f};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_FLOAT, content);
            ContentFeatures features = new ContentFeatures(List.of(new FeatureMatrix("v", seg, 4, 2)));
            ItemSets train = new ItemSets(new long[] {0, 1, 2}, new int[] {0, 1}); // user 0: item 0; user 1: item 1
            ItemKnnBaseline knn = ItemKnnBaseline.of(features, train, 3, 1);
            float diag = (float) Math.sqrt(0.5);
            float almostX = (float) (1 / Math.sqrt(1.01));
            // Nearest warm neighbour (k = 1): 0 -> 2, 1 -> 2, 2 -> 0 (tie with 1 goes to the lower id), 3 -> 0.
            assertArrayEquals(new float[] {0, 0, diag, almostX}, knn.scores(0), 1e-6f);
            assertArrayEquals(new float[] {0, 0, 0, 0}, knn.scores(1), 1e-6f);
            ItemKnnBaseline wide = ItemKnnBaseline.of(features, train, 3, 2);
            // With two neighbours, item 3 also sees item 2 (cosine 1.1 / (sqrt 2 * sqrt 1.01)), not trained by user 1;
            // item 0's neighbours are 2 and 1, and user 1 trained on 1 (cosine 0).
            assertEquals(almostX, wide.scores(0)[3], 1e-6f);
            assertEquals(diag, wide.scores(1)[2], 1e-6f);
        }
    }

    @Test
    void refusesNonPositiveNeighbourCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_FLOAT, new float[] {1, 0});
            ContentFeatures f = new ContentFeatures(List.of(new FeatureMatrix("v", seg, 1, 2)));
            assertThrows(IllegalArgumentException.class,
                    () -> ItemKnnBaseline.of(f, new ItemSets(new long[] {0, 0}, new int[0]), 1, 0));
        }
    }
}
