package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.sampling.ItemSets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileEvidenceTest {
    /** Model items {@code 0..n-1}'s vectors, dense, n x width. */
    private static float[] dense(ProfileEvidence e, int n) {
        float[] out = new float[n * e.width()];
        for (int j = 0; j < n; j++) {
            System.arraycopy(e.dense(e.row(j)), 0, out, j * e.width(), e.width());
        }
        return out;
    }

    private static FeatureMatrix matrix(Arena arena, String name, float[][] rows) {
        MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows.length * rows[0].length);
        for (int j = 0; j < rows.length; j++) {
            MemorySegment.copy(rows[j], 0, seg, ValueLayout.JAVA_FLOAT, (long) j * rows[0].length * Float.BYTES,
                    rows[0].length);
        }
        return new FeatureMatrix(name, seg, rows.length, rows[0].length);
    }

    /** Two items, one shared column and one rare: weights 1 and ln(3/2) + 1, then centred on their mean. */
    @Test
    void rareColumnsWeighMoreAndTheSpaceIsCentred() {
        try (Arena arena = Arena.ofConfined()) {
            ProfileEvidence e = ProfileEvidence.of(new ContentFeatures(List.of(
                    matrix(arena, "g", new float[][] {{1, 0}, {1, 1}})), null));
            double w = Math.log(1.5) + 1;
            double[] x1 = {1 / Math.hypot(1, w), w / Math.hypot(1, w)};
            double[] mean = {(1 + x1[0]) / 2, x1[1] / 2};
            double[] c0 = {1 - mean[0], -mean[1]};
            double n0 = Math.hypot(c0[0], c0[1]);
            float[] items = dense(e, 2);
            assertEquals(c0[0] / n0, items[0], 1e-6);
            assertEquals(c0[1] / n0, items[1], 1e-6);
            assertEquals(-items[0], items[2], 1e-6, "two items centre to opposite vectors");
            assertEquals(-items[1], items[3], 1e-6);
            ItemSets train = new ItemSets(new long[] {0, 1}, new int[] {0}); // one user, of item 0
            float[] scores = e.ranker(train).scores(0);
            assertEquals(1.0, scores[0], 1e-6);
            assertEquals(-1.0, scores[1], 1e-6);
        }
    }

    /** A new item with a model item's content gets that item's vector, bit for bit. */
    @Test
    void aNewItemIsComputedAsTheModelsItemsWere() {
        Random r = new Random(3);
        float[][] a = new float[40][7];
        float[][] b = new float[40][3];
        for (int j = 0; j < 40; j++) {
            for (int c = 0; c < 7; c++) {
                a[j][c] = r.nextInt(4) == 0 ? r.nextInt(3) : 0;
            }
            for (int c = 0; c < 3; c++) {
                b[j][c] = (float) r.nextGaussian();
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            ProfileEvidence e = ProfileEvidence.of(new ContentFeatures(List.of(matrix(arena, "a", a),
                    matrix(arena, "b", b)), null));
            assertEquals(10, e.width());
            float[] items = dense(e, 40);
            for (int j = 0; j < 40; j++) {
                EvidenceRow v = e.row(new float[][] {a[j], b[j]});
                assertArrayEquals(e.row(j).columns(), v.columns(), "item " + j);
                assertArrayEquals(e.row(j).values(), v.values(), 0f, "item " + j);
                assertEquals(e.row(j).inverseNorm(), v.inverseNorm(), 0f, "item " + j);
            }
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> e.row(new float[][] {a[0], new float[2]}));
            assertTrue(bad.getMessage().contains("width 2"), bad.getMessage());
        }
    }

    /** A column in every item weighs 1, so dense content is weighted uniformly: only the centring acts. */
    @Test
    void denseContentIsOnlyCentred() {
        Random r = new Random(5);
        float[][] a = new float[30][4];
        for (float[] row : a) {
            for (int c = 0; c < 4; c++) {
                row[c] = 0.5f + r.nextFloat();
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            ProfileEvidence e = ProfileEvidence.of(new ContentFeatures(List.of(matrix(arena, "a", a)), null));
            float[] items = dense(e, 30);
            double[][] unit = new double[30][4];
            double[] mean = new double[4];
            for (int j = 0; j < 30; j++) {
                double n = 0;
                for (int c = 0; c < 4; c++) {
                    n += (double) a[j][c] * a[j][c];
                }
                for (int c = 0; c < 4; c++) {
                    unit[j][c] = a[j][c] / Math.sqrt(n);
                    mean[c] += unit[j][c] / 30;
                }
            }
            for (int j = 0; j < 30; j++) {
                double n = 0;
                for (int c = 0; c < 4; c++) {
                    n += (unit[j][c] - mean[c]) * (unit[j][c] - mean[c]);
                }
                for (int c = 0; c < 4; c++) {
                    assertEquals((unit[j][c] - mean[c]) / Math.sqrt(n), items[j * 4 + c], 1e-4);
                }
            }
        }
    }

    /**
     * The scores and profiles come from the items' sparse rows; they must be the dense vectors' dot
     * products and means (bag-of-words-like content: a few non-zero columns per row, two modalities,
     * one item without any).
     */
    @Test
    void sparseScoresAreTheDenseVectorsDotProducts() {
        Random r = new Random(11);
        int n = 60;
        float[][] a = new float[n][50];
        float[][] b = new float[n][20];
        for (int j = 1; j < n; j++) {
            for (int k = 0; k < 4; k++) {
                a[j][r.nextInt(50)] += 1 + r.nextInt(3);
            }
            b[j][r.nextInt(20)] = 1;
        }
        try (Arena arena = Arena.ofConfined()) {
            ProfileEvidence e = ProfileEvidence.of(new ContentFeatures(List.of(matrix(arena, "a", a),
                    matrix(arena, "b", b)), null));
            float[] items = dense(e, n);
            int[] rows = {0, 3, 17, 42, 59};
            ItemSets train = new ItemSets(new long[] {0, 5, 5}, rows); // a user of five items, one of none
            float[] profile = e.profile(rows, 0, rows.length, List.of()).vector();
            float[] scores = e.ranker(train).scores(0);
            for (int c = 0; c < 70; c++) {
                double mean = 0;
                for (int row : rows) {
                    mean += items[row * 70 + c] / 5.0;
                }
                assertEquals(mean, profile[c], 1e-6, "profile column " + c);
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int c = 0; c < 70; c++) {
                    dot += (double) profile[c] * items[j * 70 + c];
                }
                assertEquals(dot, scores[j], 1e-5, "item " + j);
            }
            assertArrayEquals(new float[n], e.ranker(train).scores(1), "a user without items has no evidence");
            EvidenceProfile asServed = e.profile(rows, 0, 3, List.of(e.row(42), e.row(59)));
            assertArrayEquals(profile, asServed.vector(), 1e-7f, "items given as rows count as model items");
            for (int j = 0; j < n; j++) {
                assertEquals(scores[j], e.profile(rows, 0, rows.length, List.of()).score(e.row(j)), 0f,
                        "the server scores a row as the evaluator, item " + j);
            }
        }
    }
}
