package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.eval.SettingMetrics;
import dev.clcrec.eval.Metric;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.RunSummary;
import dev.clcrec.train.SyntheticData;
import dev.clcrec.train.TrainOptions;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native-backed: three seeds, two at a time; the summary is the runs' own numbers' mean and std. */
class RepeatedTrainingTest {
    @Test
    void threeRunsMeanAndStdAreThoseOfTheRunsThemselves(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            ModelConfig m = ModelConfig.defaults(1, 1, 1).withDimE(8).withHiddenDim(16).withLrLambda(0.5)
                    .withTempValue(2.0).withLearningRate(0.03).withDevice(Device.CPU).withNumThreads(1).withSeed(3);
            RunConfig base = new RunConfig(m, new SamplingConfig(32, 8, 0.5, 3, 1, false),
                    new TrainOptions(3, 7, SelectionCriterion.parse("val:cold:ndcg@10"), null, null, 0),
                    new int[] {5, 10}, 50, null);
            RepeatedTraining.Outcome o = RepeatedTraining.run(d, d.content(), base, 3, 2, dir.resolve("runs"),
                    seed -> TrainingListener.NONE);
            assertEquals(3, o.runs().size());
            for (int i = 0; i < 3; i++) {
                RepeatedTraining.Run r = o.runs().get(i);
                assertEquals(3 + i, r.seed());
                assertTrue(Files.isRegularFile(r.dir().resolve("best.ckpt")), "each run keeps its best model");
            }
            assertNotEquals(o.runs().get(0).result().best().eval(), o.runs().get(1).result().best().eval(),
                    "seeds differ, so do the runs");
            RunSummary s = o.summary();
            assertEquals(3, s.runs());
            int checked = 0;
            for (SettingMetrics sm : o.runs().getFirst().result().best().eval().entries()) {
                for (int k : new int[] {5, 10}) {
                    for (Metric metric : Metric.values()) {
                        double[] v = new double[3];
                        for (int i = 0; i < 3; i++) {
                            v[i] = o.runs().get(i).result().best().eval().get(sm.split(), sm.setting()).at(k).get(metric);
                        }
                        double mean = (v[0] + v[1] + v[2]) / 3;
                        double var = ((v[0] - mean) * (v[0] - mean) + (v[1] - mean) * (v[1] - mean)
                                + (v[2] - mean) * (v[2] - mean)) / 2;
                        RunSummary.Stat st = s.get(RunSummary.key(sm, metric, k));
                        assertEquals(mean, st.mean(), 1e-12, RunSummary.key(sm, metric, k));
                        assertEquals(Math.sqrt(var), st.std(), 1e-12, RunSummary.key(sm, metric, k));
                        checked++;
                    }
                }
            }
            assertEquals(2 * 3 * 2 * 4, checked);
            // a run of the batch is the same training as that seed alone (parallel runs do not interfere)
            TrainingRun.Outcome alone = TrainingRun.execute(d, d.content(), base.withSeed(4), TrainingListener.NONE);
            try (var model = alone.model()) {
                assertEquals(alone.result().best().eval(), o.runs().get(1).result().best().eval());
                assertEquals(alone.result().best().epoch(), o.runs().get(1).result().best().epoch());
            }
        }
    }

    @Test
    void badCountsAreRefused(@TempDir Path dir) {
        try (Dataset d = SyntheticData.create(20, 30, 20, 2, 4, 2, false)) {
            RunConfig base = new RunConfig(ModelConfig.defaults(1, 1, 1).withDevice(Device.CPU),
                    new SamplingConfig(32, 4, 0.5, 3, 1, false), new TrainOptions(1, 7, 10, null, null, 0),
                    new int[] {10}, 50, null);
            assertThrows(IllegalArgumentException.class, () -> RepeatedTraining.run(d, d.content(), base, 0, 1, dir, null));
            assertThrows(IllegalArgumentException.class, () -> RepeatedTraining.run(d, d.content(), base, 2, 3, dir, null));
        }
    }
}
