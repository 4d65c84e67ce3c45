package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.Metric;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.SamplingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Native-backed: for every split, setting and metric, the epoch training selects, the epoch it
 * stops at and the best checkpoint agree with a direct computation over the per-epoch CSV.
 */
class SelectionRuleTest {
    private static final int EPOCHS = 6;
    private static final int PATIENCE = 2;
    private static Dataset data;

    @BeforeAll
    static void open() {
        data = SyntheticData.create(60, 80, 60, 4, 8, 2, false);
    }

    @AfterAll
    static void close() {
        data.close();
    }

    static Stream<SelectionCriterion> criteria() {
        List<SelectionCriterion> all = new ArrayList<>();
        for (Split split : Split.values()) {
            for (Setting setting : Setting.values()) {
                for (Metric metric : Metric.values()) {
                    all.add(new SelectionCriterion(split, setting, metric, metric == Metric.NDCG ? 20 : 5));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("criteria")
    void selectedEpochIsTheCsvArgmax(SelectionCriterion c, @TempDir Path dir) throws Exception {
        ModelConfig m = ModelConfig.defaults(1, 1, 1).withDimE(8).withHiddenDim(16).withLrLambda(0.5)
                .withTempValue(2.0).withLearningRate(0.03).withDevice(Device.CPU).withNumThreads(1).withSeed(5);
        SamplingConfig s = new SamplingConfig(32, 8, 0.5, 5, 1, false);
        TrainOptions o = new TrainOptions(EPOCHS, PATIENCE, c, dir.resolve("best.ckpt"), null, 0);
        // --ks 5 only: the criterion's K=20 for NDCG must be added to the evaluated cutoffs
        RunConfig config = new RunConfig(m, s, o, new int[] {5}, 50, null);
        assertTrue(Arrays.stream(config.ks()).anyMatch(k -> k == c.k()), "selection K evaluated");
        TrainingRun.Outcome out = TrainingRun.execute(data, data.content(), config, TrainingListener.NONE);
        Path csv = dir.resolve("epochs.csv");
        try (ClcrecModel model = out.model()) {
            ResultsFiles.writeCsv(csv, out.result().history());
            // the direct computation: first epoch with the largest value in the criterion's column,
            // and the stop after PATIENCE epochs in a row without a strictly larger one
            List<String> lines = Files.readAllLines(csv);
            int col = Arrays.asList(lines.getFirst().split(",")).indexOf(
                    c.split().name().toLowerCase() + "_" + c.setting().name().toLowerCase() + "_" + c.metric().key()
                            + "@" + c.k());
            assertTrue(col > 0, "column for " + c + " in " + lines.getFirst());
            double best = Double.NEGATIVE_INFINITY;
            int bestEpoch = -1;
            int without = 0;
            int trained = 0;
            for (String line : lines.subList(1, lines.size())) {
                double v = Double.parseDouble(line.split(",")[col]);
                trained++;
                if (v > best) {
                    best = v;
                    bestEpoch = Integer.parseInt(line.split(",")[0]);
                    without = 0;
                } else if (++without >= PATIENCE) {
                    break;
                }
            }
            assertEquals(trained, lines.size() - 1, c + ": epochs trained (the stopping rule follows the criterion)");
            assertEquals(bestEpoch, out.result().best().epoch(), c + ": selected epoch");
            assertEquals(best, c.value(out.result().best().eval()), 0.0, c + ": selected value");
            // the model handed back (the best checkpoint) scores the selected epoch's value
            try (Evaluator ev = DatasetViews.evaluator(data, config.ks(), 50)) {
                assertEquals(out.result().best().eval(), ev.evaluate(new ModelRanker(model)), c + ": best model");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void resumingUnderAnotherCriterionIsRefused(@TempDir Path dir) throws Exception {
        ModelConfig m = ModelConfig.defaults(1, 1, 1).withDimE(8).withHiddenDim(16).withDevice(Device.CPU)
                .withNumThreads(1).withSeed(5);
        SamplingConfig s = new SamplingConfig(32, 8, 0.5, 5, 1, false);
        SelectionCriterion cold = SelectionCriterion.parse("val:cold:ndcg@5");
        RunConfig first = new RunConfig(m, s, new TrainOptions(1, 7, cold, null, dir.resolve("last.ckpt"), 0),
                new int[] {5}, 50, null);
        TrainingRun.execute(data, data.content(), first, TrainingListener.NONE).model().close();
        RunConfig other = new RunConfig(m, s, new TrainOptions(2, 7, SelectionCriterion.parse("val:all:ndcg@5"), null,
                dir.resolve("last.ckpt"), 0), new int[] {5}, 50, dir.resolve("last.ckpt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.execute(data, data.content(), other, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("val:cold:ndcg@5") && e.getMessage().contains("--select-on"), e.getMessage());
        RunConfig same = new RunConfig(m, s, new TrainOptions(2, 7, cold, null, dir.resolve("last.ckpt"), 0),
                new int[] {5}, 50, dir.resolve("last.ckpt"));
        TrainingRun.Outcome o = TrainingRun.execute(data, data.content(), same, TrainingListener.NONE);
        o.model().close();
        assertEquals(2, o.result().history().size(), "the same criterion resumes");
    }
}
