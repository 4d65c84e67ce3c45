package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel choice (CPU kernels or the device-generic path) is taken from the config or, for AUTO,
 * from CLCREC_KERNELS when a model is created, and reported in its device description and config.
 * The test command runs the parity suites a second time with CLCREC_KERNELS=generic and
 * -Dclcrec.test.kernels=generic (pom.xml): there the AUTO check proves the variable reached the engine.
 */
class KernelChoiceTest {
    private static ModelConfig tiny(Kernels kernels) {
        return ModelConfig.defaults(3, 4, 2).withDimE(4).withHiddenDim(5).withDevice(Device.CPU).withNumThreads(1)
                .withKernels(kernels);
    }

    private static ClcrecModel create(ModelConfig config, Arena arena) {
        return ClcrecModel.create(config, new ContentFeatures(List.of(
                new FeatureMatrix("v", Fixtures.floats(arena, new float[] {1, 2, 3, 4}), 4, 1))));
    }

    @Test
    void anExplicitChoiceIsReportedAndOverridesTheEnvironment() {
        try (Arena arena = Arena.ofConfined();
                ClcrecModel generic = create(tiny(Kernels.GENERIC), arena);
                ClcrecModel cpu = create(tiny(Kernels.CPU), arena)) {
            assertEquals("cpu (generic kernels)", generic.device());
            assertEquals(Kernels.GENERIC, generic.config().kernels());
            assertEquals("cpu", cpu.device());
            assertEquals(Kernels.CPU, cpu.config().kernels());
            assertEquals(generic.device(), ClcrecModel.deviceFor(tiny(Kernels.GENERIC)));
            assertEquals(cpu.device(), ClcrecModel.deviceFor(tiny(Kernels.CPU)));
        }
    }

    @Test
    void autoFollowsTheEnvironmentOfThisTestRun() {
        boolean generic = System.getProperty("clcrec.test.kernels", "cpu").equals("generic");
        try (Arena arena = Arena.ofConfined(); ClcrecModel model = create(tiny(Kernels.AUTO), arena)) {
            assertEquals(generic ? "cpu (generic kernels)" : "cpu", model.device());
            assertEquals(generic ? Kernels.GENERIC : Kernels.CPU, model.config().kernels(), "AUTO resolved");
            assertEquals(model.device(), ClcrecModel.deviceFor(tiny(Kernels.AUTO)));
        }
    }

    @Test
    void theVariableIsReadWhenAModelIsCreated() throws Exception {
        assertEquals("cpu (generic kernels)", probe("generic"));
        assertEquals("cpu", probe("cpu"));
        assertEquals("cpu", probe(""));
        String bad = probe("gpu");
        assertTrue(bad.contains("CLCREC_KERNELS") && bad.contains("'gpu'") && bad.contains("generic"), bad);
    }

    /** Runs {@link KernelProbe} in a child JVM with CLCREC_KERNELS set to value; returns what it printed. */
    private static String probe(String value) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dclcrec.library=" + System.getProperty("clcrec.library"), "-cp", System.getProperty("java.class.path"),
                KernelProbe.class.getName()).redirectErrorStream(true);
        pb.environment().put("CLCREC_KERNELS", value);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Child-JVM entry point: creates an AUTO model and prints its device, or the engine's refusal. */
    public static final class KernelProbe {
        public static void main(String[] args) {
            try (Arena arena = Arena.ofConfined(); ClcrecModel model = create(tiny(Kernels.AUTO), arena)) {
                System.out.println(model.device());
            } catch (ClcrecException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
