package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training with a weight average over epochs (TrainOptions.averageDecay, train --average-weights):
 * the training itself is untouched, the average is what is evaluated, selected and kept as the best
 * checkpoint, and a resume continues both exactly. Native-backed, on small synthetic data.
 */
class WeightAverageTest {
    private static final double DECAY = 0.6;

    @Test
    void theAverageIsEvaluatedAndSavedWhileTrainingIsUntouched(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            List<Map<String, float[]>> trained = new ArrayList<>();
            List<Map<String, float[]>> averaged = new ArrayList<>();
            Path run = dir.resolve("avg");
            TrainingListener capture = new TrainingListener() {
                @Override
                public void onEpoch(EpochRecord record, boolean improved) {
                    trained.add(weightsOf(run.resolve("last.ckpt"), d));
                    averaged.add(weightsOf(run.resolve("last.average.ckpt"), d));
                }
            };
            TrainingRun.Outcome avg = TrainingRun.execute(d, d.content(), averaging(4, run, null), capture);
            TrainingRun.Outcome plain = TrainingRun.execute(d, d.content(), TrainerTest.config(4, dir.resolve("plain"),
                    null, 100), TrainingListener.NONE);
            try (ClcrecModel avgModel = avg.model(); ClcrecModel plainModel = plain.model()) {
                List<EpochRecord> a = avg.result().history();
                List<EpochRecord> p = plain.result().history();
                for (int e = 0; e < 4; e++) {
                    assertEquals(p.get(e).loss(), a.get(e).loss(), 0.0, "epoch " + e + ": the average changed training");
                }
                assertEquals(p.getFirst().eval(), a.getFirst().eval(), "the first epoch's average is its weights");
                assertNotEquals(p.getLast().eval(), a.getLast().eval(), "later epochs evaluate the average");

                // the saved average follows the recurrence over the saved weights of each epoch
                Map<String, float[]> expected = copy(trained.getFirst());
                for (int e = 0; e < 4; e++) {
                    if (e > 0) {
                        for (var entry : expected.entrySet()) {
                            float[] x = entry.getValue();
                            float[] w = trained.get(e).get(entry.getKey());
                            for (int i = 0; i < x.length; i++) {
                                x[i] = (float) (DECAY * x[i] + (1 - DECAY) * w[i]);
                            }
                        }
                    }
                    for (var entry : expected.entrySet()) {
                        assertArrayEquals(entry.getValue(), averaged.get(e).get(entry.getKey()),
                                "epoch " + e + ": " + entry.getKey());
                    }
                }
                // the selected model, in hand and in the best checkpoint, is the best epoch's average
                int best = (int) avg.result().best().epoch();
                Map<String, float[]> bestFile = weightsOf(run.resolve("best.ckpt"), d);
                for (String name : avgModel.parameterNames()) {
                    assertArrayEquals(averaged.get(best).get(name), bestFile.get(name), "best.ckpt: " + name);
                    assertArrayEquals(averaged.get(best).get(name), avgModel.parameter(name), "model: " + name);
                }
            }
        }
    }

    @Test
    void aResumeContinuesTheAverageExactly(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            TrainingRun.Outcome full = TrainingRun.execute(d, d.content(), averaging(4, dir.resolve("a"), null),
                    TrainingListener.NONE);
            full.model().close();
            TrainingRun.execute(d, d.content(), averaging(2, dir.resolve("b"), null), TrainingListener.NONE)
                    .model().close();
            TrainingRun.Outcome resumed = TrainingRun.execute(d, d.content(),
                    averaging(4, dir.resolve("b"), dir.resolve("b/last.ckpt")), TrainingListener.NONE);
            resumed.model().close();
            for (int e = 0; e < 4; e++) {
                assertEquals(full.result().history().get(e).eval(), resumed.result().history().get(e).eval(),
                        "epoch " + e + " eval");
            }
            for (String file : List.of("last.ckpt", "last.average.ckpt", "best.ckpt")) {
                Map<String, float[]> want = weightsOf(dir.resolve("a").resolve(file), d);
                Map<String, float[]> got = weightsOf(dir.resolve("b").resolve(file), d);
                for (String name : want.keySet()) {
                    assertArrayEquals(want.get(name), got.get(name), file + ": " + name);
                }
            }
        }
    }

    /**
     * A crash after the average of an epoch was saved and before its last checkpoint was: the last
     * checkpoint is an epoch behind, the average kept from before matches it, and the resume is exact.
     */
    @Test
    void aCrashBetweenTheTwoWritesResumesFromTheAverageBefore(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            TrainingRun.execute(d, d.content(), averaging(3, dir.resolve("a"), null), TrainingListener.NONE)
                    .model().close();
            Path b = dir.resolve("b");
            TrainingRun.execute(d, d.content(), averaging(1, b, null), TrainingListener.NONE).model().close();
            Path epochZero = dir.resolve("epoch0.ckpt");
            Files.copy(b.resolve("last.ckpt"), epochZero);
            TrainingRun.execute(d, d.content(), averaging(2, b, b.resolve("last.ckpt")), TrainingListener.NONE)
                    .model().close();
            assertTrue(Files.exists(b.resolve("last.average.previous.ckpt")), "the average before is kept");
            Files.copy(epochZero, b.resolve("last.ckpt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            TrainingRun.execute(d, d.content(), averaging(3, b, b.resolve("last.ckpt")), TrainingListener.NONE)
                    .model().close();
            for (String file : List.of("last.ckpt", "last.average.ckpt")) {
                Map<String, float[]> want = weightsOf(dir.resolve("a").resolve(file), d);
                Map<String, float[]> got = weightsOf(b.resolve(file), d);
                for (String name : want.keySet()) {
                    assertArrayEquals(want.get(name), got.get(name), file + ": " + name);
                }
            }
        }
    }

    @Test
    void aResumeNeedsTheSameDecayAndTheAverageFile(@TempDir Path dir) throws Exception {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            TrainingRun.execute(d, d.content(), averaging(1, dir, null), TrainingListener.NONE).model().close();
            RunConfig plain = TrainerTest.config(2, dir, dir.resolve("last.ckpt"), 100);
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> TrainingRun.execute(d, d.content(), plain, TrainingListener.NONE));
            assertTrue(other.getMessage().contains("--average-weights"), other.getMessage());

            Files.delete(dir.resolve("last.average.ckpt"));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> TrainingRun.execute(d, d.content(), averaging(2, dir, dir.resolve("last.ckpt")),
                            TrainingListener.NONE));
            assertTrue(missing.getMessage().contains("last.average.ckpt"), missing.getMessage());
        }
    }

    @Test
    void decayOutsideZeroToOneIsRefused() {
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new WeightAverage(bad));
            assertThrows(IllegalArgumentException.class, () -> TrainerTest.config(1, Path.of("x"), null, 1)
                    .options().withAverageDecay(bad));
        }
    }

    private static RunConfig averaging(int epochs, Path dir, Path resume) {
        RunConfig c = TrainerTest.config(epochs, dir, resume, 100);
        return new RunConfig(c.model(), c.sampling(), c.options().withAverageDecay(DECAY), c.ks(), 50, resume);
    }

    private static Map<String, float[]> weightsOf(Path checkpoint, Dataset d) {
        try (ClcrecModel m = ClcrecModel.load(checkpoint, d.content(), Device.CPU, 0, 1)) {
            return WeightAverage.weights(m);
        }
    }

    private static Map<String, float[]> copy(Map<String, float[]> weights) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        weights.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
