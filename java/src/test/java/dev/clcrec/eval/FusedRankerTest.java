package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The model's scores with a baseline's evidence added on cold items (evaluate --content-fusion). */
class FusedRankerTest {
    /** A baseline with fixed scores per user. */
    private static ScoreRanker fixed(float[]... perUser) {
        return new ScoreRanker(perUser[0].length) {
            @Override
            public float[] scores(int user) {
                return perUser[user].clone();
            }
        };
    }

    @Test
    void mixesStandardisedScoresOnColdItemsInTheModelsMeanAndSpread() {
        // one user, width 1, items 0-1 warm: the model's scores are the item values. Cold items 2-4:
        // model 3, 5, 6 (mean 14/3, spread sqrt(14/9): z = -5/sqrt14, 1/sqrt14, 4/sqrt14);
        // baseline 0, 3, 0 (z = -1/sqrt2, sqrt2, -1/sqrt2). Weight 1 sums them to m, which has mean 0,
        // and maps m back: 14/3 + sqrt(14/9) * m / sd(m).
        float[] items = {1, 2, 3, 5, 6};
        FusedRanker r = new FusedRanker(new DotProductRanker(new float[] {1}, items, 1), 2,
                fixed(new float[] {9, 9, 0, 3, 0}), 1);
        double a = Math.sqrt(14);
        double b = Math.sqrt(2);
        double[] m = {-5 / a - 1 / b, 1 / a + b, 4 / a - 1 / b};
        double sd = Math.sqrt((m[0] * m[0] + m[1] * m[1] + m[2] * m[2]) / 3);
        double spread = Math.sqrt(14.0 / 9);
        float[] expected = {1, 2, 0, 0, 0};
        for (int j = 0; j < 3; j++) {
            expected[2 + j] = (float) (14.0 / 3 + spread * m[j] / sd);
        }
        assertArrayEquals(expected, r.scores(0), 1e-6f);
        // with the evidence, item 3 (the baseline's favourite) now leads item 4, the model's favourite
        float[] s = r.scores(0);
        assertTrue(s[3] > s[4], java.util.Arrays.toString(s));
    }

    @Test
    void weightZeroIsTheModelsDotProducts() {
        float[] users = {0.5f, -2f, 1f, 3f};
        float[] items = {1f, 2f, -1f, 0.25f, 4f, 4f};
        FusedRanker r = new FusedRanker(new DotProductRanker(users, items, 2), 1,
                fixed(new float[] {9, 1, 5}, new float[] {0, 0, 7}), 0);
        assertArrayEquals(new float[] {0.5f - 4f, -0.5f - 0.5f, 2f - 8f}, r.scores(0));
        assertArrayEquals(new float[] {1f + 6f, -1f + 0.75f, 4f + 12f}, r.scores(1));
    }

    @Test
    void theBaselinesScaleDoesNotMatterAndTheUsersScalesEveryScore() {
        float[] items = {1f, 2f, -1f, 0.25f, 4f, 4f, 0f, -3f};
        float[] one = new FusedRanker(new DotProductRanker(new float[] {0.5f, -2f}, items, 2), 1,
                fixed(new float[] {9, 1, 5, 2}), 0.7).scores(0);
        float[] scaled = new FusedRanker(new DotProductRanker(new float[] {5f, -20f}, items, 2), 1,
                fixed(new float[] {900, 100, 500, 200}), 0.7).scores(0);
        for (int j = 0; j < one.length; j++) {
            assertEquals(10 * one[j], scaled[j], 1e-4f, "item " + j);
        }
    }

    @Test
    void aLargeWeightOrdersColdItemsAsTheBaselineAndAConstantBaselineAddsNothing() {
        float[] items = {7f, 1f, 2f, 3f, 4f};
        DotProductRanker own = new DotProductRanker(new float[] {1}, items, 1);
        float[] s = new FusedRanker(own, 1, fixed(new float[] {0, 4, 1, 3, 2}), 1e6).scores(0);
        assertEquals(7f, s[0]);
        assertTrue(s[1] > s[3] && s[3] > s[4] && s[4] > s[2], java.util.Arrays.toString(s));
        float[] flat = new FusedRanker(own, 1, fixed(new float[] {5, 0, 0, 0, 0}), 5).scores(0);
        assertArrayEquals(items, flat);
    }

    @Test
    void refusesWeightsAndShapesThatMakeNoSense() {
        ScoreRanker b = fixed(new float[] {1, 2});
        DotProductRanker twoItems = new DotProductRanker(new float[] {1}, new float[] {1, 2}, 1);
        for (double w : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FusedRanker(twoItems, 1, b, w));
            assertTrue(e.getMessage().contains("fusion weight"), e.getMessage());
        }
        DotProductRanker threeItems = new DotProductRanker(new float[] {1}, new float[] {1, 2, 3}, 1);
        assertThrows(IllegalArgumentException.class, () -> new FusedRanker(threeItems, 1, b, 1));
        assertThrows(IllegalArgumentException.class, () -> new FusedRanker(twoItems, 3, b, 1));
        assertThrows(IllegalArgumentException.class, () -> new FusedRanker(twoItems, -1, b, 1));
    }
}
