package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A training step whose loss or gradients are not finite is refused with a RUNTIME error and
 * leaves the model exactly as it was: parameters, step count and Adam state (the next good step
 * gives bit-identical parameters to a twin model that never saw the bad step).
 */
class NonFiniteStepTest {
    private static final int USERS = 4;
    private static final int ITEMS = 6;
    private static final int WARM = 4;
    private static final int DIM = 4;
    private static final int HIDDEN = 8;

    private Arena arena;
    private ClcrecModel model;
    private ClcrecModel twin;

    @BeforeEach
    void createModels() {
        arena = Arena.ofShared();
        model = ClcrecModel.create(config(), features());
        twin = ClcrecModel.create(config(), features());
        // One good step first, so that the Adam state is not empty when the bad step comes.
        goodStep(model);
        goodStep(twin);
    }

    @AfterEach
    void close() {
        model.close();
        twin.close();
        arena.close();
    }

    @Test
    void nonFiniteLossLeavesTheModelUnchanged() {
        Map<String, float[]> original = parameters(model);
        float[] huge = new float[original.get("id_embedding").length];
        Arrays.fill(huge, 1e30f); // U-I scores overflow: the loss is NaN
        model.setParameter("id_embedding", huge);

        Map<String, float[]> bad = parameters(model);
        ClcrecException e = assertThrows(ClcrecException.class, this::badStep);
        assertEquals(ClcrecException.NOT_FINITE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("loss is not finite"), e.getMessage());
        assertUnchanged(bad, original);
    }

    @Test
    void nonFiniteGradientLeavesTheModelUnchanged() {
        Map<String, float[]> original = parameters(model);
        // Encoder output exactly 0 (W2 = 0, b2 = 0): the R-E scores are 0 and the loss is log(G),
        // finite. normalize() divides the gradient by its eps (1e-12), and the hidden layer is 1e30
        // (W1 = 0, b1 = 1e30), so the gradient of W2 (about 1e11 x 1e30) overflows float32.
        model.setParameter("encoder_layer1_weight", new float[HIDDEN * 3]);
        float[] b1 = new float[HIDDEN];
        Arrays.fill(b1, 1e30f);
        model.setParameter("encoder_layer1_bias", b1);
        model.setParameter("encoder_layer2_weight", new float[DIM * HIDDEN]);
        model.setParameter("encoder_layer2_bias", new float[DIM]);
        StepLosses loss = model.computeLoss(longs(0, 1), 2, longs(0, 1, 2, 1, 2, 3), 3, longs(0, 4), 2);
        assertTrue(Double.isFinite(loss.loss()), "the loss itself is finite: " + loss);

        Map<String, float[]> bad = parameters(model);
        ClcrecException e = assertThrows(ClcrecException.class, this::badStep);
        assertEquals(ClcrecException.NOT_FINITE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("gradient is not finite"), e.getMessage());
        assertUnchanged(bad, original);
    }

    /** The bad step changed nothing: same parameters, same step count, same Adam state. */
    private void assertUnchanged(Map<String, float[]> bad, Map<String, float[]> original) {
        Map<String, float[]> after = parameters(model);
        for (String name : bad.keySet()) {
            assertArrayEquals(bad.get(name), after.get(name), name + " changed by a refused step");
        }
        assertEquals(1, model.stepCount(), "step count after a refused step");
        original.forEach(model::setParameter);
        goodStep(model);
        goodStep(twin);
        Map<String, float[]> expected = parameters(twin);
        Map<String, float[]> actual = parameters(model);
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name),
                    name + " differs from a model that never saw the refused step (Adam state touched?)");
        }
        assertEquals(2, model.stepCount());
    }

    private void badStep() {
        model.trainStep(longs(0, 1), 2, longs(0, 1, 2, 1, 2, 3), 3, longs(0, 4), 2);
    }

    private void goodStep(ClcrecModel m) {
        StepLosses l = m.trainStep(longs(2, 3), 2, longs(1, 0, 3, 2, 0, 1), 3, longs(1, 5), 2);
        assertTrue(Double.isFinite(l.loss()), "good step: " + l);
    }

    private static Map<String, float[]> parameters(ClcrecModel m) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : m.parameterNames()) {
            values.put(name, m.parameter(name));
        }
        return values;
    }

    private static ModelConfig config() {
        return ModelConfig.defaults(USERS, ITEMS, WARM).withDimE(DIM).withHiddenDim(HIDDEN)
                .withDevice(TestDevice.get()).withNumThreads(1).withSeed(7);
    }

    private ContentFeatures features() {
        float[] values = new float[ITEMS * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7) + 1;
        }
        return new ContentFeatures(List.of(new FeatureMatrix("v", Fixtures.floats(arena, values), ITEMS, 3)));
    }

    private MemorySegment longs(long... v) {
        return Fixtures.longs(arena, v);
    }
}
