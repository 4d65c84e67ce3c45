package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clcrec.engine.DistillTerms;
import dev.clcrec.sampling.ItemSets;
import org.junit.jupiter.api.Test;

class DistillationTest {
    /**
     * Four users over two items: user 0 has {0, 1}, users 1 and 2 have {0}, user 3 has {1}. Each user
     * spreads one unit over their items: freq = (1/2 + 1 + 1, 1/2 + 1) = (2.5, 1.5); the expected freq
     * is 4 users / 2 items = 2, so with M = 1, a = 1/2 and w = (min(tanh 1.25, tanh 1), tanh 0.75).
     */
    @Test
    void popularityWeightsAreAldisCappedTanhOfTheUsersShares() {
        ItemSets train = new ItemSets(new long[] {0, 2, 3, 4, 5}, new int[] {0, 1, 0, 0, 1});
        float[] w = Distillation.popularityWeights(train, 2, 1.0);
        assertArrayEquals(new float[] {(float) Math.tanh(1), (float) Math.tanh(0.75)}, w, 1e-7f);
        float[] three = Distillation.popularityWeights(train, 3, 1.0); // an item nobody has: weight 0
        assertEquals(0f, three[2]);
        assertArrayEquals(new float[] {1f, 1f}, Distillation.popularityWeights(train, 2, 0.0), "M = 0: no weighting");
    }

    @Test
    void optionsRefuseNonsense() {
        DistillTerms t = new DistillTerms(1, 0.9, 0.05, 0.1, 1e-3);
        assertThrows(IllegalArgumentException.class, () -> new Distillation.Options(t, 0, 3, 1024, 4));
        assertThrows(IllegalArgumentException.class, () -> new Distillation.Options(t, 5, 3, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new Distillation.Options(t, 5, 3, 1024, -1));
        assertThrows(IllegalArgumentException.class, () -> new Distillation.Options(null, 5, 3, 1024, 4));
    }
}
