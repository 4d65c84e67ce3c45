package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.RandomRanker;
import dev.clcrec.sampling.SamplingConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native-backed: trains the real engine on small synthetic data. */
class TrainerTest {
    static RunConfig config(int epochs, Path dir, Path resume, int patience) {
        ModelConfig m = ModelConfig.defaults(1, 1, 1).withDimE(16).withHiddenDim(32).withLrLambda(0.5)
                .withTempValue(2.0).withLearningRate(0.01).withDevice(Device.CPU).withNumThreads(1).withSeed(3);
        SamplingConfig s = new SamplingConfig(64, 16, 0.5, 7, 2, false);
        TrainOptions o = new TrainOptions(epochs, patience, 10, dir.resolve("best.ckpt"), dir.resolve("last.ckpt"), 0);
        return new RunConfig(m, s, o, new int[] {10}, 50, resume);
    }

    @Test
    void learnsColdStartAndResumesExactly(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(120, 150, 120, 5, 20, 1, false)) {
            // four epochs straight
            TrainingRun.Outcome full = TrainingRun.execute(d, d.content(), config(4, dir.resolve("a"), null, 100),
                    TrainingListener.NONE);
            float[] fullParams;
            try (var m = full.model()) {
                fullParams = m.parameter("id_embedding");
                assertEquals(StopReason.EPOCH_LIMIT, full.result().reason());
                assertEquals(4, full.result().history().size());
                // loss goes down and cold recall beats random
                var h = full.result().history();
                assertTrue(h.getLast().loss() < h.getFirst().loss(), "loss did not decrease: " + h);
                double cold = full.result().best().eval().get(Split.TEST, Setting.COLD).at(10).recall();
                double random;
                try (var ev = DatasetViews.evaluator(d, new int[] {10}, 50)) {
                    random = ev.evaluate(new RandomRanker(d.numItem(), 1)).get(Split.TEST, Setting.COLD).at(10).recall();
                }
                assertTrue(cold > 2 * random, "cold recall " + cold + " vs random " + random);
            }
            // two epochs, then resume from the last checkpoint for two more
            TrainingRun.Outcome first = TrainingRun.execute(d, d.content(), config(2, dir.resolve("b"), null, 100),
                    TrainingListener.NONE);
            first.model().close();
            TrainingRun.Outcome resumed = TrainingRun.execute(d, d.content(),
                    config(4, dir.resolve("b"), dir.resolve("b/last.ckpt"), 100), TrainingListener.NONE);
            try (var m = resumed.model()) {
                var h = resumed.result().history();
                assertEquals(4, h.size());
                for (int e = 0; e < 4; e++) {
                    assertEquals(full.result().history().get(e).loss(), h.get(e).loss(), 0.0, "epoch " + e + " loss");
                    assertEquals(full.result().history().get(e).eval(), h.get(e).eval(), "epoch " + e + " eval");
                }
                if (resumed.result().best().epoch() == 3) {
                    assertArrayEquals(fullParams, m.parameter("id_embedding"));
                }
            }
        }
    }

    @Test
    void resumeWithOtherSamplingIsRefused(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            TrainingRun.execute(d, d.content(), config(1, dir, null, 100), TrainingListener.NONE).model().close();
            RunConfig base = config(2, dir, dir.resolve("last.ckpt"), 100);
            RunConfig other = new RunConfig(base.model(), new SamplingConfig(32, 16, 0.5, 7, 2, false), base.options(),
                    base.ks(), 50, base.resumeFrom());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingRun.execute(d, d.content(), other, TrainingListener.NONE));
            assertTrue(e.getMessage().contains("batch_size=64") && e.getMessage().contains("batch_size=32"), e.getMessage());
        }
    }

    @Test
    void resumeOnAnotherWarmColdSplitIsRefused(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false);
             Dataset other = SyntheticData.create(60, 80, 50, 4, 8, 2, false)) {
            TrainingRun.execute(d, d.content(), config(1, dir, null, 100), TrainingListener.NONE).model().close();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingRun.execute(other, other.content(), config(2, dir, dir.resolve("last.ckpt"), 100),
                            TrainingListener.NONE));
            assertTrue(e.getMessage().contains("(60 warm)") && e.getMessage().contains("(50 warm)"), e.getMessage());
        }
    }

    @Test
    void resumeTrainsWithTheRunsStepSize(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            TrainingRun.execute(d, d.content(), config(1, dir, null, 100), TrainingListener.NONE).model().close();
            java.nio.file.Files.copy(dir.resolve("last.ckpt"), dir.resolve("start.ckpt"));
            RunConfig same = config(2, dir.resolve("same"), dir.resolve("start.ckpt"), 100);
            RunConfig base = config(2, dir.resolve("lower"), dir.resolve("start.ckpt"), 100);
            RunConfig lower = new RunConfig(base.model().withLearningRate(0.001), base.sampling(), base.options(),
                    base.ks(), 50, base.resumeFrom());
            double sameLoss;
            try (var m = TrainingRun.execute(d, d.content(), same, TrainingListener.NONE).model()) {
                sameLoss = lossOfEpoch(dir.resolve("same/last.ckpt"), d, 1);
                assertEquals(0.01, m.config().learningRate());
            }
            try (var m = TrainingRun.execute(d, d.content(), lower, TrainingListener.NONE).model()) {
                assertEquals(0.001, m.config().learningRate(), "the run's --l_r, not the checkpoint's");
                assertNotEquals(sameLoss, lossOfEpoch(dir.resolve("lower/last.ckpt"), d, 1),
                        "epoch 1 took smaller steps from the same weights");
            }
        }
    }

    private static double lossOfEpoch(Path checkpoint, Dataset d, int epoch) {
        return stateOf(checkpoint, d).history().get(epoch).loss();
    }

    private static TrainingState stateOf(Path checkpoint, Dataset d) {
        var loaded = dev.clcrec.engine.ClcrecModel.loadWithState(checkpoint, d.content(), Device.CPU, 0, 1);
        loaded.model().close();
        return TrainingState.fromJson(loaded.state(), checkpoint);
    }

    @Test
    void resumeWithOtherWidthsIsRefusedNamingTheFlags(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            TrainingRun.execute(d, d.content(), config(1, dir, null, 100), TrainingListener.NONE).model().close();
            RunConfig base = config(2, dir, dir.resolve("last.ckpt"), 100);
            RunConfig wider = new RunConfig(base.model().withHiddenDim(64), base.sampling(), base.options(),
                    base.ks(), 50, base.resumeFrom());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingRun.execute(d, d.content(), wider, TrainingListener.NONE));
            assertTrue(e.getMessage().contains("--hidden_dim 32") && e.getMessage().contains("64"), e.getMessage());
        }
    }

    /** Records each lowering of the step size as {@code epoch:stepSize:restoredEpoch}. */
    private static TrainingListener recordingDecays(java.util.List<String> lowered) {
        return new TrainingListener() {
            @Override
            public void onStepSizeLowered(long epoch, double stepSize, long restoredEpoch) {
                lowered.add(epoch + ":" + (float) stepSize + ":" + restoredEpoch);
            }
        };
    }

    /**
     * Selection on Hit@80 of an 80-item catalog, which every ranking scores alike: each epoch after the
     * first is a plateau while the weights still learn. The schedule may go back to any epoch (warm-up 0).
     */
    private static RunConfig plateau(int epochs, Path dir, Path resume) {
        return plateau(epochs, dir, resume, new LearningRateDecay(0.1, 1, 2, 0));
    }

    private static RunConfig plateau(int epochs, Path dir, Path resume, LearningRateDecay decay) {
        RunConfig c = config(epochs, dir, resume, 100);
        return new RunConfig(c.model(), c.sampling(), c.options().withDecay(decay)
                .withSelection(dev.clcrec.eval.SelectionCriterion.parse("val:all:hit@80")), new int[] {80}, 50, resume);
    }

    @Test
    void aPlateauLowersTheStepSizeFromTheBestEpochAndResumesExactly(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            java.util.List<String> lowered = new java.util.ArrayList<>();
            TrainingRun.execute(d, d.content(), plateau(4, dir.resolve("a"), null), recordingDecays(lowered))
                    .model().close();
            assertEquals(java.util.List.of("1:" + (float) 1e-3 + ":0", "2:" + (float) 1e-4 + ":0"), lowered,
                    "two decays, each back to epoch 0");
            var full = dev.clcrec.engine.ClcrecModel.loadWithState(dir.resolve("a/last.ckpt"), d.content(),
                    Device.CPU, 0, 1);
            TrainingState fullState = TrainingState.fromJson(full.state(), dir.resolve("a/last.ckpt"));
            long perEpoch = fullState.history().getFirst().steps();
            assertEquals(2, fullState.lrDecays());
            assertEquals(2 * perEpoch, fullState.stepCount(), "epoch 3 trained on from epoch 0's weights");
            assertEquals(1e-4, full.model().config().learningRate(), 1e-18, "the checkpoint carries the step size");

            // two epochs (the first decay), then a resume for two more: the same run
            TrainingRun.execute(d, d.content(), plateau(2, dir.resolve("b"), null), TrainingListener.NONE)
                    .model().close();
            TrainingRun.execute(d, d.content(), plateau(4, dir.resolve("b"), dir.resolve("b/last.ckpt")),
                    TrainingListener.NONE).model().close();
            try (var fullModel = full.model();
                 var resumed = dev.clcrec.engine.ClcrecModel.load(dir.resolve("b/last.ckpt"), d.content(),
                         Device.CPU, 0, 1)) {
                assertArrayEquals(fullModel.parameter("id_embedding"), resumed.parameter("id_embedding"));
                assertArrayEquals(fullModel.parameter("encoder_layer1_weight"),
                        resumed.parameter("encoder_layer1_weight"));
                assertEquals(fullModel.config().learningRate(), resumed.config().learningRate());
            }
            TrainingState resumedState = stateOf(dir.resolve("b/last.ckpt"), d);
            for (int e = 0; e < 4; e++) {
                assertEquals(fullState.history().get(e).loss(), resumedState.history().get(e).loss(), 0.0,
                        "epoch " + e + " trained at the same step size");
            }
        }
    }

    /**
     * With the default warm-up a plateau whose best is still the first epoch lowers nothing: the run
     * trains on at its step size (where a decay would go back to epoch 0 at a tenth of it).
     */
    @Test
    void noDecayWhileTheBestIsStillTheFirstEpoch(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            java.util.List<String> lowered = new java.util.ArrayList<>();
            LearningRateDecay decay = new LearningRateDecay(0.1, 1, 2);
            assertEquals(LearningRateDecay.DEFAULT_WARMUP, decay.warmup());
            TrainingRun.execute(d, d.content(), plateau(4, dir, null, decay), recordingDecays(lowered)).model().close();
            assertEquals(java.util.List.of(), lowered, "the best epoch stayed 0: nothing to go back to yet");
            TrainingState state = stateOf(dir.resolve("last.ckpt"), d);
            assertEquals(0, state.bestEpoch());
            assertEquals(0, state.lrDecays());
            assertEquals(4 * state.history().getFirst().steps(), state.stepCount(), "four epochs trained on");
            try (var m = dev.clcrec.engine.ClcrecModel.load(dir.resolve("last.ckpt"), d.content(), Device.CPU, 0, 1)) {
                assertEquals(config(4, dir, null, 100).model().learningRate(), m.config().learningRate(), 0.0,
                        "the step size is the configured one");
            }
        }
    }

    @Test
    void nonFiniteLossStopsAndKeepsTheCheckpoint(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            RunConfig base = config(3, dir, null, 100);
            // a temperature that underflows to 0 in float32 makes the very first loss non-finite
            RunConfig wild = new RunConfig(base.model().withTempValue(1e-300),
                    base.sampling(), base.options(), base.ks(), 50, null);
            TrainingRun.Outcome o = TrainingRun.execute(d, d.content(), wild, TrainingListener.NONE);
            try (var m = o.model()) {
                assertEquals(StopReason.NON_FINITE_LOSS, o.result().reason(), o.result().message());
                assertTrue(o.result().message().contains("not finite") || o.result().message().contains("loss is"),
                        o.result().message());
                for (float v : m.parameter("id_embedding")) {
                    assertTrue(Float.isFinite(v), "the refused step changed the parameters");
                }
                assertTrue(o.result().history().isEmpty());
                assertNull(o.result().best());
                assertFalse(java.nio.file.Files.exists(dir.resolve("best.ckpt")), "no epoch finished, nothing to save");
            }
        }
    }
}
