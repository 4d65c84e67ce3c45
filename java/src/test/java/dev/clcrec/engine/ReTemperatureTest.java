package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The R-E term's own temperature (clcrec_config.re_temp_value): the R-E term, its value and its
 * gradient, use it and nothing else does. Each case compares two models built from the same seed,
 * so their starting parameters are equal, after the same training steps.
 */
class ReTemperatureTest {
    private static final int USERS = 5;
    private static final int ITEMS = 7;
    private static final int WARM = 5;
    private static final int WIDTH = 3;

    private Arena arena;

    @BeforeEach
    void open() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void onlyTheReTermTakesTheReTemperature() {
        // With lr_lambda 1 only the R-E term trains: a model whose R-E temperature is 0.3 must
        // train exactly as one whose single temperature is 0.3, whatever its U-I temperature.
        assertSameTraining(config(1.0).withTempValue(2.0).withReTempValue(0.3), config(1.0).withTempValue(0.3),
                "R-E term alone");
        // With lr_lambda 0 only the U-I term trains: the R-E temperature changes nothing.
        assertSameTraining(config(0.0).withTempValue(2.0).withReTempValue(0.3), config(0.0).withTempValue(2.0),
                "U-I term alone");
    }

    @Test
    void bothTermsReportTheirOwnTemperature() {
        ModelConfig split = config(0.5).withTempValue(2.0).withReTempValue(0.3);
        try (ClcrecModel both = ClcrecModel.create(split, features());
             ClcrecModel reOnly = ClcrecModel.create(config(0.5).withTempValue(0.3), features());
             ClcrecModel uiOnly = ClcrecModel.create(config(0.5).withTempValue(2.0), features())) {
            StepLosses l = both.computeLoss(users(), 2, items(), 3, hybrid(), 2);
            assertEquals(reOnly.computeLoss(users(), 2, items(), 3, hybrid(), 2).lossRe(), l.lossRe(), "R-E at 0.3");
            assertEquals(uiOnly.computeLoss(users(), 2, items(), 3, hybrid(), 2).lossUi(), l.lossUi(), "U-I at 2");
            assertNotEquals(uiOnly.computeLoss(users(), 2, items(), 3, hybrid(), 2).lossRe(), l.lossRe(),
                    "the R-E temperature must change the R-E term");
        }
    }

    @Test
    void zeroMeansTheSingleTemperature() {
        assertSameTraining(config(0.5).withTempValue(1.5).withReTempValue(0.0),
                config(0.5).withTempValue(1.5).withReTempValue(1.5), "0 against the same value");
    }

    @Test
    void checkpointKeepsTheReTemperature(@TempDir Path dir) {
        Path file = dir.resolve("m.ckpt");
        try (ClcrecModel m = ClcrecModel.create(config(0.5).withReTempValue(0.25), features())) {
            m.save(file);
        }
        ModelConfig[] stored = new ModelConfig[1];
        try (ClcrecModel loaded = ClcrecModel.loadWithState(file, features(), s -> {
            stored[0] = s;
            return s;
        }).model()) {
            assertEquals(0.25, stored[0].reTempValue(), "stored");
            assertEquals(0.25, loaded.config().reTempValue(), "loaded");
        }
    }

    @Test
    void negativeOrNonFiniteIsRefusedWithTheFieldsName() {
        for (double bad : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> config(0.5).withReTempValue(bad));
            assertTrue(e.getMessage().contains("reTempValue"), e.getMessage());
        }
    }

    private void assertSameTraining(ModelConfig a, ModelConfig b, String what) {
        try (ClcrecModel ma = ClcrecModel.create(a, features()); ClcrecModel mb = ClcrecModel.create(b, features())) {
            Consumer<ClcrecModel> steps = m -> {
                for (int s = 0; s < 3; s++) {
                    m.trainStep(users(), 2, items(), 3, hybrid(), 2);
                }
            };
            steps.accept(ma);
            steps.accept(mb);
            // Exactly: the other term's weight is 0, so it adds exact zeros. Adam is nearly blind to
            // the gradient's scale (1 / temperature), so a tolerance would let a wrong one through.
            assertEquals(mb.computeLoss(users(), 2, items(), 3, hybrid(), 2).loss(),
                    ma.computeLoss(users(), 2, items(), 3, hybrid(), 2).loss(), what + ": loss");
            for (String name : ma.parameterNames()) {
                assertArrayEquals(mb.parameter(name), ma.parameter(name), what + ": " + name);
            }
        }
    }

    private static ModelConfig config(double lrLambda) {
        return ModelConfig.defaults(USERS, ITEMS, WARM).withDimE(4).withHiddenDim(8).withLrLambda(lrLambda)
                .withRegWeight(0.0).withLearningRate(0.01).withDevice(TestDevice.get()).withNumThreads(1)
                .withSeed(11);
    }

    private ContentFeatures features() {
        float[] values = new float[ITEMS * WIDTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(1.7 * i + 0.3);
        }
        return new ContentFeatures(List.of(new FeatureMatrix("v", Fixtures.floats(arena, values), ITEMS, WIDTH)));
    }

    private MemorySegment users() {
        return Fixtures.longs(arena, new long[] {0, 3});
    }

    private MemorySegment items() {
        return Fixtures.longs(arena, new long[] {1, 0, 4, 2, 3, 0});
    }

    private MemorySegment hybrid() {
        return Fixtures.longs(arena, new long[] {1, 5});
    }
}
