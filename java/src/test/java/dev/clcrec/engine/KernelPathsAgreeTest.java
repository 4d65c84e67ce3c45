package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU kernels and the device-generic path (the code a CUDA model runs) compute the same steps: a model
 * on each, from the same state, takes the same random batch on two threads, at a size where the CPU
 * kernels run in parallel (the encoder's products split over the threads, the group rows over groups,
 * Adam over the id table), with dense and with sparse updates; then both rank the same users.
 *
 * <p>Before each step the generic model is loaded from a checkpoint of the CPU model (parameters and
 * Adam's moments), so each step is compared on its own: a difference carried over would otherwise grow
 * where a hidden unit's pre-activation sits at zero and the leaky ReLU's slope flips.
 *
 * <p>Tolerances: the paths sum in different orders (a fused loop per group against gathers and batched
 * products), so they agree to float32 rounding, not bit for bit. Losses: 1e-5 relative (the fixtures'
 * tolerance). Parameters after the step: every element within 1e-6 (absolute) of the CPU kernels',
 * except at most one in 1,000 per tensor, each within 2 lr: elements whose gradient is at Adam's eps
 * scale, whose first step (lr g / (|g| + 1e-8)) the rounding decides (measured: at most 4 of 40,960
 * elements, 2.6e-5 apart, all in step 0; later steps within 6e-7). The learning rate is 0.01, so a
 * wrong gradient moves an element ~1e-2, four orders above the tolerance. Ranking and representations
 * on identical parameters: exactly equal, as both paths take each score from the same product.
 */
class KernelPathsAgreeTest {
    private static final double LOSS_TOLERANCE = 1e-5;
    private static final double PARAMETER_TOLERANCE = 1e-6;
    private static final int EXEMPT_PER = 1000;
    private static final double LEARNING_RATE = 0.01;
    private static final int STEPS = 4;
    private static final int NUM_USER = 300;
    private static final int NUM_ITEM = 700;
    private static final int NUM_WARM = 520;
    private static final int[] WIDTHS = {96, 64};
    private static final int BATCH = 128;
    private static final int GROUP = 9;

    private static ModelConfig config(Kernels kernels) {
        return ModelConfig.defaults(NUM_USER, NUM_ITEM, NUM_WARM).withDimE(64).withHiddenDim(256)
                .withLearningRate(LEARNING_RATE).withRegWeight(0.1).withLrLambda(0.6).withTempValue(0.7)
                .withDevice(Device.CPU).withNumThreads(2).withSeed(11).withKernels(kernels);
    }

    @ParameterizedTest(name = "sparse updates {0}")
    @ValueSource(booleans = {false, true})
    void cpuKernelsAndGenericPathTakeTheSameSteps(boolean sparse, @TempDir Path tmp) {
        Random random = new Random(sparse ? 17 : 29);
        try (Arena arena = Arena.ofConfined()) {
            ContentFeatures content = content(random, arena);
            try (ClcrecModel cpu = ClcrecModel.create(config(Kernels.CPU), content)) {
                assertEquals("cpu", cpu.device());
                cpu.setSparseUpdates(sparse);
                float[] initialWeight = cpu.parameter("encoder_layer1_weight");
                for (int s = 0; s < STEPS; s++) {
                    // The generic model starts each step from the CPU model's state (parameters and Adam's
                    // moments, through a checkpoint), so that each step is compared on its own.
                    Path state = tmp.resolve("step" + s + ".ckpt");
                    cpu.save(state);
                    try (ClcrecModel generic = ClcrecModel.load(state, content, Device.CPU, 0, 2, Kernels.GENERIC)) {
                        assertEquals("cpu (generic kernels)", generic.device());
                        generic.setSparseUpdates(sparse);
                        Batch b = Batch.random(random, arena);
                        StepLosses before = generic.computeLoss(b.users, BATCH, b.items, GROUP, b.hybrid, b.numHybrid);
                        StepLosses expected = cpu.trainStep(b.users, BATCH, b.items, GROUP, b.hybrid, b.numHybrid);
                        StepLosses actual = generic.trainStep(b.users, BATCH, b.items, GROUP, b.hybrid, b.numHybrid);
                        assertLosses(expected, actual, "step " + s);
                        assertLosses(expected, before, "computeLoss before step " + s);
                        for (String name : cpu.parameterNames()) {
                            assertSameAfterAdam(cpu.parameter(name), generic.parameter(name), "step " + s + ": " + name);
                        }
                        if (s == STEPS - 1) {
                            // Ranking and the representation on identical parameters.
                            for (String name : cpu.parameterNames()) {
                                generic.setParameter(name, cpu.parameter(name));
                            }
                            assertArrayEquals(cpu.itemRepresentation(), generic.itemRepresentation(),
                                    "item representation");
                            assertArrayEquals(cpu.encoderOutput(), generic.encoderOutput(), "encoder output");
                            assertSameRanking(cpu, generic, random, arena);
                        }
                    }
                }
                // The steps did move the parameters, far beyond the tolerance.
                assertTrue(Fixtures.relativeError(cpu.parameter("encoder_layer1_weight"), initialWeight) > 1e-2);
            }
        }
    }

    /**
     * Every element within {@link #PARAMETER_TOLERANCE} of the CPU kernels' value, except at most one in
     * {@link #EXEMPT_PER} elements of the tensor, each still within what one Adam step can move it (2 lr).
     */
    private static void assertSameAfterAdam(float[] cpu, float[] generic, String what) {
        assertEquals(cpu.length, generic.length, what + " length");
        int exempt = 0;
        double worst = 0;
        for (int e = 0; e < cpu.length; e++) {
            double diff = Math.abs((double) generic[e] - cpu[e]);
            assertTrue(diff <= 2 * LEARNING_RATE, what + "[" + e + "]: CPU kernels " + cpu[e] + ", generic path "
                    + generic[e] + ", more than an Adam step apart");
            if (diff > PARAMETER_TOLERANCE) {
                exempt++;
            }
            worst = Math.max(worst, diff);
        }
        assertTrue(exempt <= cpu.length / EXEMPT_PER, what + ": " + exempt + " of " + cpu.length
                + " elements differ by more than " + PARAMETER_TOLERANCE + " (worst " + worst + ")");
    }

    private static void assertSameRanking(ClcrecModel cpu, ClcrecModel generic, Random random, Arena arena) {
        int numUsers = 90;
        int k = 20;
        long[] users = new long[numUsers];
        long[] offsets = new long[numUsers + 1];
        List<Long> excluded = new ArrayList<>();
        for (int q = 0; q < numUsers; q++) {
            users[q] = random.nextInt(NUM_USER);
            for (int e = random.nextInt(30); e > 0; e--) {
                excluded.add((long) random.nextInt(NUM_ITEM));
            }
            offsets[q + 1] = excluded.size();
        }
        byte[] masks = new byte[2 * NUM_ITEM];
        for (int j = NUM_WARM; j < NUM_ITEM; j++) {
            masks[j] = 1; // mask 0: warm items only; mask 1: every item
        }
        MemorySegment u = Fixtures.longs(arena, users);
        MemorySegment o = Fixtures.longs(arena, offsets);
        MemorySegment x = Fixtures.longs(arena, excluded.stream().mapToLong(Long::longValue).toArray());
        MemorySegment m = Fixtures.bytes(arena, masks);
        long len = 2L * numUsers * k;
        MemorySegment items0 = arena.allocate(8 * len);
        MemorySegment scores0 = arena.allocate(4 * len);
        MemorySegment items1 = arena.allocate(8 * len);
        MemorySegment scores1 = arena.allocate(4 * len);
        cpu.topK(u, numUsers, o, x, m, 2, k, items0, scores0);
        generic.topK(u, numUsers, o, x, m, 2, k, items1, scores1);
        assertArrayEquals(Fixtures.readLongs(items0, len), Fixtures.readLongs(items1, len), "top-k items");
        assertArrayEquals(Fixtures.readFloats(scores0, len), Fixtures.readFloats(scores1, len), "top-k scores");
        MemorySegment all0 = arena.allocate(4L * numUsers * NUM_ITEM);
        MemorySegment all1 = arena.allocate(4L * numUsers * NUM_ITEM);
        cpu.score(u, numUsers, all0);
        generic.score(u, numUsers, all1);
        assertArrayEquals(Fixtures.readFloats(all0, (long) numUsers * NUM_ITEM),
                Fixtures.readFloats(all1, (long) numUsers * NUM_ITEM), "scores");
    }

    private static ContentFeatures content(Random random, Arena arena) {
        List<FeatureMatrix> matrices = new ArrayList<>();
        for (int m = 0; m < WIDTHS.length; m++) {
            float[] f = new float[NUM_ITEM * WIDTHS[m]];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
            }
            matrices.add(new FeatureMatrix("m" + m, Fixtures.floats(arena, f), NUM_ITEM, WIDTHS[m]));
        }
        return new ContentFeatures(matrices);
    }

    private static void assertLosses(StepLosses expected, StepLosses actual, String when) {
        close(expected.loss(), actual.loss(), when + " loss");
        close(expected.lossRe(), actual.lossRe(), when + " loss_re");
        close(expected.lossUi(), actual.lossUi(), when + " loss_ui");
        close(expected.reg(), actual.reg(), when + " reg");
        close(expected.mat(), actual.mat(), when + " mat");
    }

    private static void close(double expected, double actual, String what) {
        double err = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(err <= LOSS_TOLERANCE, what + ": CPU kernels " + expected + ", generic path " + actual
                + " (relative difference " + err + ")");
    }

    /** A random batch: positives anywhere among the warm items, negatives too, half the rows hybrid. */
    private record Batch(MemorySegment users, MemorySegment items, MemorySegment hybrid, long numHybrid) {
        static Batch random(Random random, Arena arena) {
            long[] users = new long[BATCH];
            long[] items = new long[BATCH * GROUP];
            for (int b = 0; b < BATCH; b++) {
                users[b] = random.nextInt(NUM_USER);
            }
            for (int r = 0; r < items.length; r++) {
                items[r] = random.nextInt(NUM_WARM);
            }
            long[] hybrid = new long[items.length / 2];
            for (int h = 0; h < hybrid.length; h++) {
                hybrid[h] = random.nextInt(items.length);
            }
            return new Batch(Fixtures.longs(arena, users), Fixtures.longs(arena, items), Fixtures.longs(arena, hybrid),
                    hybrid.length);
        }
    }
}
