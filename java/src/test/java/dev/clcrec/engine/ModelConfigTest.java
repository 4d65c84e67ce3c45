package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reference defaults, withers that change exactly one component, and the native round trip. */
class ModelConfigTest {
    @Test
    void defaultsAreTheReferences() {
        ModelConfig c = ModelConfig.defaults(10, 20, 15);
        assertEquals(new ModelConfig(10, 20, 15, 64, 256, 128, 1.0, 1.0, 0.1, 0.001, Device.AUTO, 0, 0, true, 1L, Kernels.AUTO), c);
    }

    @Test
    void eachWitherChangesOnlyItsComponent() throws Exception {
        ModelConfig base = ModelConfig.defaults(10, 20, 15);
        List<ModelConfig> changed = List.of(base.withNumUser(11), base.withNumItem(21), base.withNumWarmItem(14),
                base.withDimE(8), base.withHiddenDim(16), base.withWordDim(4), base.withTempValue(2),
                base.withLrLambda(0.5), base.withRegWeight(0.2), base.withLearningRate(0.01),
                base.withDevice(Device.CPU), base.withDeviceIndex(1), base.withNumThreads(3),
                base.withTrainWordEmbedding(false), base.withSeed(7), base.withKernels(Kernels.GENERIC),
                base.withReTempValue(0.25));
        RecordComponent[] components = ModelConfig.class.getRecordComponents();
        assertEquals(components.length, changed.size(), "one wither per component");
        for (int i = 0; i < components.length; i++) {
            for (int j = 0; j < components.length; j++) {
                Object a = components[j].getAccessor().invoke(base);
                Object b = components[j].getAccessor().invoke(changed.get(i));
                if (i == j) {
                    assertEquals(false, a.equals(b), components[j].getName() + " changed by its wither");
                } else {
                    assertEquals(a, b, components[j].getName() + " untouched by the wither of " + components[i].getName());
                }
            }
        }
    }

    @Test
    void nativeEngineKeepsTheConfig() {
        ModelConfig c = new ModelConfig(5, 7, 4, 6, 12, 3, 1.5, 0.3, 0.05, 0.02, Device.CPU, 0, 1, false, 99L, Kernels.GENERIC,
                0.4);
        try (Arena arena = Arena.ofConfined(); ClcrecModel model = ClcrecModel.create(c, new ContentFeatures(List.of(
                new FeatureMatrix("v", Fixtures.floats(arena, new float[] {1, 2, 3, 4, 5, 6, 7}), 7, 1))))) {
            assertEquals(c, model.config());
            assertEquals(1, model.featureWidth());
            assertEquals(0, model.stepCount());
            assertEquals("cpu (generic kernels)", model.device());
        }
    }
}
