package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.SamplingConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IdOnlyBaselineTest {
    private static RunConfig model(int epochs) {
        ModelConfig m = ModelConfig.defaults(1, 1, 1).withLrLambda(0.5).withTempValue(0.5).withLearningRate(0.01)
                .withDimE(32).withDevice(Device.CPU).withNumThreads(1);
        SamplingConfig s = new SamplingConfig(256, 16, 0.5, 3, 1, false);
        TrainOptions o = new TrainOptions(epochs, 7, SelectionCriterion.parse("val:all:ndcg@20"),
                Path.of("never-written-best.ckpt"), Path.of("never-written-last.ckpt"), 0);
        return new RunConfig(m, s, o, new int[] {10, 20}, 2000, null);
    }

    @Test
    void isTheModelsOwnConfigWithoutContentTermsSelectedOnWarm() {
        RunConfig b = IdOnlyBaseline.config(model(5));
        assertEquals(0.0, b.model().lrLambda(), "no R-E term");
        assertEquals(0.0, b.sampling().numSample(), "no hybrid rows: the encoder never enters U-I");
        assertEquals(new SelectionCriterion(Split.VAL, Setting.WARM, dev.clcrec.eval.Metric.NDCG, 20),
                b.options().selection());
        assertNull(b.options().bestCheckpoint());
        assertNull(b.options().lastCheckpoint());
        assertEquals(0.5, b.model().tempValue());
        assertEquals(0.01, b.model().learningRate());
        assertEquals(16, b.sampling().numNeg());
        assertEquals(5, b.options().numEpoch());
    }

    @Test
    void learnsWarmItemsFromInteractionsAloneAndReportsOnlyWarm() throws Exception {
        try (Dataset data = Datasets.open(Path.of("test-data"))) {
            EvalResult r = IdOnlyBaseline.evaluate(data, data.content(), model(3));
            assertNotNull(r);
            assertTrue(r.entries().stream().allMatch(e -> e.setting() == Setting.WARM), r.toString());
            assertEquals(2, r.entries().size());
            // A random ranking's test warm Recall@20 here is about 0.025 (BENCHMARKS.md).
            assertTrue(r.get(Split.TEST, Setting.WARM).at(20).recall() > 0.05, r.toString());
        }
        assertFalse(java.nio.file.Files.exists(Path.of("never-written-best.ckpt")));
    }
}
