package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clcrec.engine.NativeLibrary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training of CUDA models over NCCL, run by scripts/gpu-check.sh
 * ({@code -Dclcrec.test.device=cuda}, which the rank JVMs inherit) and skipped everywhere else.
 *
 * <p>NCCL takes one GPU per rank, so two ranks need two GPUs; on one GPU a group of one still goes
 * through NCCL's all-reduce, broadcast and all-gather. CUDA's scatter-adds accumulate in no fixed
 * order, so runs are compared within the tolerances of {@link DistributedTrainingTest} (to float32
 * rounding, with its Adam-noise exemption), and whether they also agree bit for bit is printed.
 */
@EnabledIfSystemProperty(named = "clcrec.test.device", matches = "(?i)cuda")
class NcclTrainingTest {
    private static final int STEPS = 20;

    @TempDir Path tmp;

    @Test
    void aGroupOfOneOverNcclTakesTheStepsOfOneProcess() throws Exception {
        List<DistributedTrainingTest.Step> single = trainInProcess(DataParallel.SINGLE, "single.bin");
        Path one = tmp.resolve("one.bin");
        DistributedTrainingTest.runRanks(tmp, 1, one, false, false, RankProbe.DIM_E);
        assertSameSteps(single, DistributedTrainingTest.read(one), "a group of one over NCCL");
    }

    @Test
    void twoRanksOverNcclTakeTheStepsOfOneProcess() throws Exception {
        assumeTrue(NativeLibrary.cudaDeviceCount() >= 2, "NCCL needs one GPU per rank; this machine has "
                + NativeLibrary.cudaDeviceCount());
        List<DistributedTrainingTest.Step> single = trainInProcess(DataParallel.SINGLE, "single.bin");
        Path two = tmp.resolve("two.bin");
        String log0 = DistributedTrainingTest.runRanks(tmp, 2, two, false, false, RankProbe.DIM_E);
        DistributedTrainingTest.assertShardedEvaluationIsExact(log0);
        List<DistributedTrainingTest.Step> ranks = DistributedTrainingTest.read(two);
        assertSameSteps(single, ranks, "two ranks over NCCL");
        assertSameSteps(trainInProcess(DataParallel.replaying(2), "replay.bin"), ranks,
                "one process replaying two ranks");
    }

    private List<DistributedTrainingTest.Step> trainInProcess(DataParallel parallel, String file) throws Exception {
        Path out = tmp.resolve(file);
        RankProbe.run(parallel, out, STEPS);
        return DistributedTrainingTest.read(out);
    }

    private static void assertSameSteps(List<DistributedTrainingTest.Step> expected,
                                        List<DistributedTrainingTest.Step> actual, String what) {
        assertEquals(STEPS, expected.size(), what);
        assertEquals(STEPS, actual.size(), what);
        for (int s = 0; s < STEPS; s++) {
            for (int l = 0; l < 4; l++) {
                double e = expected.get(s).losses()[l];
                assertEquals(e, actual.get(s).losses()[l], 1e-5 * Math.abs(e), what + ": step " + s + " loss " + l);
            }
            for (int p = 0; p < expected.get(s).parameters().size(); p++) {
                DistributedTrainingTest.assertSameAfterAdam(actual.get(s).parameters().get(p),
                        expected.get(s).parameters().get(p), s, what + ": step " + s + " parameter " + p);
            }
        }
        assertTrue(DistributedTrainingTest.relativeError(actual.getLast().parameters().getFirst(),
                actual.getFirst().parameters().getFirst()) > 1e-4, what + ": the parameters moved");
        System.out.println(what + ": " + STEPS + " steps within tolerance; bit-identical to the reference: "
                + DistributedTrainingTest.sameBits(expected.getLast(), actual.getLast()));
    }
}
