package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad call raises a Java exception with a message that names the problem, and the JVM (and the
 * model) survive it: after each test the model still trains.
 */
class ErrorPathsTest {
    private static final int USERS = 4;
    private static final int ITEMS = 6;
    private static final int WARM = 4;

    private Arena arena;
    private ClcrecModel model;

    @BeforeEach
    void createModel() {
        arena = Arena.ofShared();
        model = ClcrecModel.create(config(), features(new float[ITEMS * 3]));
    }

    @AfterEach
    void modelStillWorks() {
        if (model != null) {
            StepLosses l = model.trainStep(longs(0, 1), 2, longs(0, 1, 2, 1, 2, 3), 3, longs(0, 4), 2);
            assertTrue(Double.isFinite(l.loss()), "model trains after the error");
            model.close();
        }
        arena.close();
    }

    @Test
    void nullAndShortSegmentsFailInJava() {
        expect(NullPointerException.class, "users",
                () -> model.trainStep(null, 2, longs(0, 1, 2, 1, 2, 3), 3, null, 0));
        expect(IllegalArgumentException.class, "items",
                () -> model.trainStep(longs(0, 1), 2, longs(0, 1, 2), 3, null, 0));
        expect(IllegalArgumentException.class, "hybridRows",
                () -> model.trainStep(longs(0, 1), 2, longs(0, 1, 2, 1, 2, 3), 3, longs(0), 2));
        expect(IllegalArgumentException.class, "native",
                () -> model.trainStep(MemorySegment.ofArray(new long[] {0, 1}), 2, longs(0, 1, 2, 1, 2, 3), 3,
                        null, 0));
        expect(IllegalArgumentException.class, "outItems",
                () -> model.topK(longs(0), 1, null, null, null, 1, 3, arena.allocate(8), null));
        expect(IllegalArgumentException.class, "excludeOffsets",
                () -> model.topK(longs(0), 1, longs(0, 1), null, null, 1, 1, arena.allocate(8), null));
        expect(IllegalArgumentException.class, "itemMasks",
                () -> model.topK(longs(0), 1, null, null, null, 2, 1, arena.allocate(16), null));
        expect(IllegalArgumentException.class, "outScores",
                () -> model.score(longs(0, 1), 2, arena.allocate(4L * ITEMS)));
        expect(IllegalArgumentException.class, "data",
                () -> new FeatureMatrix("v", arena.allocate(8), ITEMS, 3));
    }

    @Test
    void negativeSizesFailInJava() {
        expect(IllegalArgumentException.class, "batchSize",
                () -> model.trainStep(longs(0), -1, longs(0, 1, 2), 3, null, 0));
        expect(IllegalArgumentException.class, "numHybrid",
                () -> model.trainStep(longs(0), 1, longs(0, 1, 2), 3, null, -2));
        expect(IllegalArgumentException.class, "k",
                () -> model.topK(longs(0), 1, null, null, null, 1, -5, arena.allocate(8), null));
        expect(IllegalArgumentException.class, "numRows", () -> model.encode(-1, features(new float[3])));
        expect(IllegalArgumentException.class, "numUser",
                () -> ModelConfig.defaults(-3, ITEMS, WARM));
        expect(IllegalArgumentException.class, "numWarmItem",
                () -> ModelConfig.defaults(USERS, ITEMS, ITEMS + 1));
        expect(IllegalArgumentException.class, "tempValue", () -> config().withTempValue(0));
    }

    @Test
    void idsOutOfRangeAreRejectedByTheEngine() {
        native_("user", () -> model.trainStep(longs(USERS), 1, longs(0, 1, 2), 3, null, 0));
        native_("user", () -> model.trainStep(longs(-1), 1, longs(0, 1, 2), 3, null, 0));
        native_("item", () -> model.trainStep(longs(0), 1, longs(0, ITEMS, 2), 3, null, 0));
        native_("item", () -> model.computeLoss(longs(0), 1, longs(0, -7, 2), 3, null, 0));
        native_("hybrid", () -> model.trainStep(longs(0), 1, longs(0, 1, 2), 3, longs(3), 1));
        native_("user", () -> model.topK(longs(USERS + 5), 1, null, null, null, 1, 1, arena.allocate(8), null));
        native_("exclude", () -> model.topK(longs(0), 1, longs(0, 1), longs(ITEMS), null, 1, 1,
                arena.allocate(8), null));
        native_("user", () -> model.score(longs(-2), 1, arena.allocate(4L * ITEMS)));
    }

    @Test
    void inconsistentReplaySlicesAreRejectedByTheEngine() {
        MemorySegment users = longs(0, 1);
        MemorySegment items = longs(0, 1, 2, 1, 2, 3);
        native_("must sum to batch_size = 2",
                () -> model.trainStepSlices(users, 2, items, 3, null, 0, new long[] {2, 1}, new long[] {0, 0}));
        native_("the slices hold 1 pairs",
                () -> model.trainStepSlices(users, 2, items, 3, null, 0, new long[] {1, 0}, new long[] {0, 0}));
        native_("slice_sizes[0]",
                () -> model.trainStepSlices(users, 2, items, 3, null, 0, new long[] {-1, 3}, new long[] {0, 0}));
        native_("slice 0 is empty but has 1 hybrid rows",
                () -> model.trainStepSlices(users, 2, items, 3, longs(0), 1, new long[] {0, 2}, new long[] {1, 0}));
        // a slice's hybrid rows are numbered within the slice (3 rows each here)
        native_("hybrid_rows",
                () -> model.trainStepSlices(users, 2, items, 3, longs(3), 1, new long[] {1, 1}, new long[] {1, 0}));
        expect(IllegalArgumentException.class, "same, positive, number of slices",
                () -> model.trainStepSlices(users, 2, items, 3, null, 0, new long[] {1, 1}, new long[] {0}));
        long steps = model.stepCount();
        model.trainStepSlices(users, 2, items, 3, longs(2), 1, new long[] {1, 1}, new long[] {0, 1});
        assertEquals(steps + 1, model.stepCount(), "consistent slices take one step");
    }

    @Test
    void nanInputsAreRejected() {
        float[] feats = new float[ITEMS * 3];
        feats[5] = Float.NaN;
        ClcrecException e = assertThrows(ClcrecException.class, () -> ClcrecModel.create(config(), features(feats)));
        assertEquals(ClcrecException.INVALID_ARGUMENT, e.status(), e.getMessage());
        assertMentions(e, "nan", "finite");

        float[] values = model.parameter("encoder_layer1_bias");
        values[0] = Float.NaN;
        e = assertThrows(ClcrecException.class, () -> model.setParameter("encoder_layer1_bias", values));
        assertEquals(ClcrecException.INVALID_ARGUMENT, e.status(), e.getMessage());
        assertMentions(e, "nan", "finite");
        assertTrue(Float.isFinite(model.parameter("encoder_layer1_bias")[0]), "rejected values were not stored");

        float[] inf = model.parameter("encoder_layer2_bias");
        inf[0] = Float.POSITIVE_INFINITY;
        assertThrows(ClcrecException.class, () -> model.setParameter("encoder_layer2_bias", inf));
    }

    @Test
    void unknownOrMisSizedParameterFails() {
        expect(IllegalArgumentException.class, "no_such_param", () -> model.parameter("no_such_param"));
        expect(IllegalArgumentException.class, "no_such_param", () -> model.setParameter("no_such_param", new float[1]));
        expect(IllegalArgumentException.class, "encoder_layer2_bias",
                () -> model.setParameter("encoder_layer2_bias", new float[3]));
        expect(NullPointerException.class, "values", () -> model.setParameter("encoder_layer2_bias", null));
    }

    @Test
    void cudaWithoutCudaIsUnsupported() {
        assumeTrue(NativeLibrary.cudaDeviceCount() == 0, "this machine has CUDA");
        ClcrecException e = assertThrows(ClcrecException.class,
                () -> ClcrecModel.create(config().withDevice(Device.CUDA), features(new float[ITEMS * 3])));
        assertEquals(ClcrecException.UNSUPPORTED, e.status(), e.getMessage());
        assertMentions(e, "cuda");
        try (ClcrecModel auto = ClcrecModel.create(config().withDevice(Device.AUTO), features(new float[ITEMS * 3]))) {
            assertEquals("cpu", auto.device());
            assertEquals(Device.CPU, auto.config().device(), "AUTO resolves to CPU");
        }
    }

    @Test
    void wrongContentFails() {
        expect(IllegalArgumentException.class, "rows", () -> ClcrecModel.create(config(),
                new ContentFeatures(List.of(new FeatureMatrix("v", floats(new float[5 * 3]), 5, 3)))));
        expect(IllegalArgumentException.class, "modality", () -> new ContentFeatures(List.of(
                new FeatureMatrix("v", floats(new float[ITEMS * 3]), ITEMS, 3),
                new FeatureMatrix("a", floats(new float[4 * 3]), 4, 3))));
        expect(IllegalArgumentException.class, "widths", () -> model.encode(2,
                new ContentFeatures(List.of(new FeatureMatrix("v", floats(new float[2 * 4]), 2, 4)))));
        // word pairs naming an item or word out of range
        WordPairs badWords = new WordPairs(longs(0, ITEMS + 3, 0, 1), 2, 2);
        ClcrecException e = assertThrows(ClcrecException.class, () -> ClcrecModel.create(config(),
                new ContentFeatures(List.of(new FeatureMatrix("v", floats(new float[ITEMS * 3]), ITEMS, 3)),
                        badWords)));
        assertEquals(ClcrecException.INVALID_ARGUMENT, e.status());
        assertMentions(e, "word");
    }

    @Test
    void useAfterCloseIsAnIllegalStateException() {
        ClcrecModel other = ClcrecModel.create(config(), features(new float[ITEMS * 3]));
        other.close();
        assertDoesNotThrow(other::close, "close is idempotent");
        expect(IllegalStateException.class, "closed",
                () -> other.trainStep(longs(0), 1, longs(0, 1, 2), 3, null, 0));
        expect(IllegalStateException.class, "closed", other::userEmbeddings);
        expect(IllegalStateException.class, "closed", () -> other.parameter("id_embedding"));
        expect(IllegalStateException.class, "closed", other::stepCount);
        expect(IllegalStateException.class, "closed", () -> other.save(java.nio.file.Path.of("x")));
    }

    @Test
    void closedArenaSegmentsFailInJava() {
        MemorySegment users;
        try (Arena scratch = Arena.ofConfined()) {
            users = scratch.allocate(16);
        }
        MemorySegment dead = users;
        assertThrows(IllegalStateException.class,
                () -> model.trainStep(dead, 2, longs(0, 1, 2, 1, 2, 3), 3, null, 0));
    }

    private void native_(String mention, Executable call) {
        ClcrecException e = assertThrows(ClcrecException.class, call);
        assertEquals(ClcrecException.INVALID_ARGUMENT, e.status(), e.getMessage());
        assertMentions(e, mention);
    }

    private static void expect(Class<? extends Throwable> type, String mention, Executable call) {
        Throwable t = assertThrows(type, call);
        assertMentions(t, mention);
    }

    private static void assertMentions(Throwable t, String... any) {
        String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        for (String s : any) {
            if (msg.contains(s.toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        throw new AssertionError("message should mention one of " + List.of(any) + ": " + t.getMessage(), t);
    }

    private static ModelConfig config() {
        return ModelConfig.defaults(USERS, ITEMS, WARM).withDimE(4).withHiddenDim(8).withDevice(Device.CPU)
                .withNumThreads(1);
    }

    private ContentFeatures features(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == 0) {
                values[i] = (i % 7) + 1;
            }
        }
        return new ContentFeatures(List.of(new FeatureMatrix("v", floats(values), values.length / 3, 3)));
    }

    private MemorySegment longs(long... v) {
        return Fixtures.longs(arena, v);
    }

    private MemorySegment floats(float[] v) {
        return Fixtures.floats(arena, v);
    }
}
