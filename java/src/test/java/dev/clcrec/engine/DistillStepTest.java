package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * clcrec_model_distill_step (ALDI-style teacher-student terms, clcrec.h): its four terms against a
 * case computed by hand, its gradient against central differences of an independent double-precision
 * computation, what it changes (the encoder alone: not the id table, not the step count, not
 * training's Adam state) and its refusals.
 */
class DistillStepTest {
    private static final int USERS = 3;
    private static final int ITEMS = 6;
    private static final int WARM = 4;
    private static final int DIM = 2;
    private static final int HIDDEN = 3;
    private static final int WIDTH = 3;
    private static final double TEMP = 0.5;
    private static final double LN2 = Math.log(2);
    private static final long[] USER_IDS = {0, 1, 2};
    private static final long[] POS = {0, 1, 2};
    private static final long[] NEG = {3, 3, 0};
    private static final float[] WEIGHTS = {1f, 0.5f, 0.25f};
    private static final DistillTerms ALDI = new DistillTerms(1, 0.9, 0.05, 0.1, 1e-3);

    private Arena arena;
    private ClcrecModel model;

    @BeforeEach
    void create() {
        arena = Arena.ofShared();
        model = ClcrecModel.create(config(), features());
    }

    @AfterEach
    void close() {
        model.close();
        arena.close();
    }

    /**
     * Users (1,0), (0,1), (1,1); warm items (2,0), (0,1), (1,-1), (0,0). The encoder gives every item
     * the same output c = (1, 0.5) (W1 = 0, b1 = (1,2,3), W2 = [[1,0,0],[0,0,0]], b2 = (0, 0.5)), so
     * the student's gaps are 0: supervised = ln 2, ranking = identification = ln 2 x mean(w). Teacher
     * logits (t_p, t_n) = (4, 0), (2, 0), (0, 4) against student logits 2, 1, 3 (both items):
     * rating = (|4-2| + |0-2| + |2-1| + |0-1| + |0-3| + |4-3|) / 3 = 10/3.
     */
    @Test
    void termsMatchACaseComputedByHand() {
        model.setParameter("id_embedding", new float[] {1, 0, 0, 1, 1, 1, 2, 0, 0, 1, 1, -1, 0, 0, 0, 0, 0, 0});
        model.setParameter("encoder_layer1_weight", new float[HIDDEN * WIDTH]);
        model.setParameter("encoder_layer1_bias", new float[] {1, 2, 3});
        model.setParameter("encoder_layer2_weight", new float[] {1, 0, 0, 0, 0, 0});
        model.setParameter("encoder_layer2_bias", new float[] {0, 0.5f});

        DistillTerms.Values v = model.distillStep(USER_IDS, POS, NEG, WEIGHTS, ALDI);
        double meanW = (1 + 0.5 + 0.25) / 3;
        assertEquals(LN2, v.supervised(), 1e-6);
        assertEquals(LN2 * meanW, v.ranking(), 1e-6);
        assertEquals(LN2 * meanW, v.identification(), 1e-6);
        assertEquals(10.0 / 3, v.rating(), 1e-5);
        assertEquals(LN2 + 0.9 * LN2 * meanW + 0.05 * LN2 * meanW + 0.1 * 10.0 / 3, v.loss(), 1e-5);

        DistillTerms.Values unweighted = model.distillStep(USER_IDS, POS, NEG, null, ALDI);
        assertTrue(Double.isFinite(unweighted.loss()));
    }

    /**
     * One step moves every encoder parameter against its gradient: Adam's first step is
     * -lr * g / (|g| + eps), so each element whose gradient is clearly nonzero moves by lr in the
     * direction opposite to the gradient, which is taken here by central differences of the loss
     * computed independently in double precision (content normalised, encoder, the four terms).
     */
    @Test
    void theStepFollowsTheGradientOfTheTerms() {
        Map<String, float[]> before = encoder();
        float[] table = model.parameter("id_embedding");
        double[][] content = normalisedContent();
        DistillTerms terms = new DistillTerms(0.7, 0.9, 0.05, 0.1, 1e-3);
        double expected = loss(before, table, content, terms);

        DistillTerms.Values v = model.distillStep(USER_IDS, POS, NEG, WEIGHTS, terms);
        assertEquals(expected, v.loss(), 1e-5 * Math.max(1, Math.abs(expected)), "loss before the step");

        Map<String, float[]> after = encoder();
        int checked = 0;
        for (String name : before.keySet()) {
            for (int e = 0; e < before.get(name).length; e++) {
                double g = numericGradient(before, name, e, table, content, terms);
                if (Math.abs(g) < 1e-3) {
                    continue; // too flat for Adam's sign to be read reliably
                }
                double moved = after.get(name)[e] - before.get(name)[e];
                assertEquals(-Math.signum(g) * 1e-3, moved, 2e-5, name + "[" + e + "], gradient " + g);
                checked++;
            }
        }
        assertTrue(checked >= 10, "only " + checked + " gradient elements were large enough to check");
    }

    @Test
    void onlyTheEncoderChangesAndTrainingsAdamIsUntouched() {
        try (ClcrecModel twin = ClcrecModel.create(config(), features())) {
            trainStep(model);
            trainStep(twin);
            float[] table = model.parameter("id_embedding");
            Map<String, float[]> encoder = encoder();

            model.distillStep(USER_IDS, POS, NEG, WEIGHTS, ALDI);
            assertArrayEquals(table, model.parameter("id_embedding"), "the teacher must not move");
            assertEquals(1, model.stepCount(), "distillation is not a training step");
            assertFalse(java.util.Arrays.equals(encoder.get("encoder_layer2_weight"),
                    model.parameter("encoder_layer2_weight")), "the student must move");

            // Put the encoder back: the next training step must equal the twin's, which never distilled.
            encoder.forEach(model::setParameter);
            trainStep(model);
            trainStep(twin);
            for (String name : model.parameterNames()) {
                assertArrayEquals(twin.parameter(name), model.parameter(name), name);
            }
        }
    }

    @Test
    void refusesColdItemsBadWeightsAndBadOptionsNamingThem() {
        assertRefused("positives", () -> model.distillStep(USER_IDS, new long[] {0, 1, 4}, NEG, WEIGHTS, ALDI));
        assertRefused("negatives", () -> model.distillStep(USER_IDS, POS, new long[] {0, 5, 1}, WEIGHTS, ALDI));
        assertRefused("users", () -> model.distillStep(new long[] {0, 1, 3}, POS, NEG, WEIGHTS, ALDI));
        assertRefused("weights[1]", () -> model.distillStep(USER_IDS, POS, NEG, new float[] {1, -1, 1}, ALDI));
        assertRefused("weights", () -> model.distillStep(USER_IDS, POS, NEG, new float[] {1, Float.NaN, 1}, ALDI));
        assertRefused("batch_size", () -> model.distillStep(new long[0], new long[0], new long[0], null, ALDI));
        assertThrows(IllegalArgumentException.class, () -> new DistillTerms(1, -0.1, 0, 0, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new DistillTerms(1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> model.distillStep(USER_IDS, POS, new long[] {1}, WEIGHTS, ALDI));
    }

    private static void assertRefused(String named, org.junit.jupiter.api.function.Executable call) {
        ClcrecException e = assertThrows(ClcrecException.class, call);
        assertEquals(ClcrecException.INVALID_ARGUMENT, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    // ---- the terms in double precision, independently of the engine ----

    private static double numericGradient(Map<String, float[]> params, String name, int element, float[] table,
                                          double[][] content, DistillTerms terms) {
        double h = 1e-4;
        Map<String, double[]> p = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            p.put(k, d);
        });
        double x = p.get(name)[element];
        p.get(name)[element] = x + h;
        double up = exactLoss(p, table, content, terms);
        p.get(name)[element] = x - h;
        double down = exactLoss(p, table, content, terms);
        return (up - down) / (2 * h);
    }

    private static double loss(Map<String, float[]> params, float[] table, double[][] content, DistillTerms terms) {
        Map<String, double[]> p = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            p.put(k, d);
        });
        return exactLoss(p, table, content, terms);
    }

    private static double exactLoss(Map<String, double[]> p, float[] table, double[][] content, DistillTerms terms) {
        int b = USER_IDS.length;
        double[][] sPos = new double[b][];
        double[][] sNeg = new double[b][];
        for (int r = 0; r < b; r++) {
            sPos[r] = encode(p, content[(int) POS[r]]);
            sNeg[r] = encode(p, content[(int) NEG[r]]);
        }
        double sup = 0, rank = 0, iden = 0, rating = 0;
        for (int r = 0; r < b; r++) {
            double[] u = row(table, (int) USER_IDS[r]);
            double[] tp = row(table, USERS + (int) POS[r]);
            double[] tn = row(table, USERS + (int) NEG[r]);
            double stp = dot(u, sPos[r]) / TEMP, stn = dot(u, sNeg[r]) / TEMP;
            double ttp = dot(u, tp) / TEMP, ttn = dot(u, tn) / TEMP;
            double w = WEIGHTS[r];
            sup += softplus(-(stp - stn));
            rank += w * bce(stp - stn, sigmoid(ttp - ttn));
            double gs = dot(sPos[r], sPos[r]), gt = dot(tp, tp);
            for (int c = 0; c < b; c++) {
                gs -= dot(sPos[r], sNeg[c]) / b;
                gt -= dot(tp, row(table, USERS + (int) NEG[c])) / b;
            }
            iden += w * bce(gs / TEMP, sigmoid(gt / TEMP));
            rating += Math.abs(ttp - stp) + Math.abs(ttn - stn);
        }
        return (terms.supervised() * sup + terms.ranking() * rank + terms.identification() * iden
                + terms.rating() * rating) / b;
    }

    private static double[] encode(Map<String, double[]> p, double[] x) {
        double[] w1 = p.get("encoder_layer1_weight"), b1 = p.get("encoder_layer1_bias");
        double[] w2 = p.get("encoder_layer2_weight"), b2 = p.get("encoder_layer2_bias");
        double[] h = new double[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            double s = b1[j];
            for (int i = 0; i < WIDTH; i++) {
                s += w1[j * WIDTH + i] * x[i];
            }
            h[j] = s > 0 ? s : 0.01 * s;
        }
        double[] out = new double[DIM];
        for (int d = 0; d < DIM; d++) {
            double s = b2[d];
            for (int j = 0; j < HIDDEN; j++) {
                s += w2[d * HIDDEN + j] * h[j];
            }
            out[d] = s;
        }
        return out;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double bce(double x, double y) {
        return softplus(x) - x * y;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] row(float[] table, int r) {
        double[] out = new double[DIM];
        for (int d = 0; d < DIM; d++) {
            out[d] = table[r * DIM + d];
        }
        return out;
    }

    // ---- fixtures ----

    private Map<String, float[]> encoder() {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String name : List.of("encoder_layer1_weight", "encoder_layer1_bias", "encoder_layer2_weight",
                "encoder_layer2_bias")) {
            m.put(name, model.parameter(name));
        }
        return m;
    }

    private void trainStep(ClcrecModel m) {
        StepLosses l = m.trainStep(longs(2, 1), 2, longs(1, 0, 3, 2, 0, 1), 3, longs(1, 5), 2);
        assertTrue(Double.isFinite(l.loss()), "training step: " + l);
    }

    private static ModelConfig config() {
        return ModelConfig.defaults(USERS, ITEMS, WARM).withDimE(DIM).withHiddenDim(HIDDEN).withTempValue(TEMP)
                .withDevice(TestDevice.get()).withNumThreads(1).withSeed(11);
    }

    private static float[] rawContent() {
        float[] values = new float[ITEMS * WIDTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 5) % 7) + 1;
        }
        return values;
    }

    /** The rows as the engine feeds them to the encoder: L2-normalised. */
    private static double[][] normalisedContent() {
        float[] raw = rawContent();
        double[][] rows = new double[ITEMS][WIDTH];
        for (int r = 0; r < ITEMS; r++) {
            double norm = 0;
            for (int c = 0; c < WIDTH; c++) {
                norm += (double) raw[r * WIDTH + c] * raw[r * WIDTH + c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < WIDTH; c++) {
                rows[r][c] = raw[r * WIDTH + c] / norm;
            }
        }
        return rows;
    }

    private ContentFeatures features() {
        return new ContentFeatures(List.of(new FeatureMatrix("v", Fixtures.floats(arena, rawContent()), ITEMS, WIDTH)));
    }

    private MemorySegment longs(long... v) {
        return Fixtures.longs(arena, v);
    }
}
