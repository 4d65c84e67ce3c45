package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Parity with the reference implementation on one training fixture case: the fixture's initial
 * weights, batches and hybrid rows go in; the three steps' losses (1e-5 relative) and parameters
 * after every Adam step (1e-4 relative, max abs diff over max abs value) must come out, and the
 * final ranking representation and encoder output too. Subclasses name the case.
 */
abstract class TrainingParityCase {
    static final double LOSS_TOLERANCE = 1e-5;
    static final double PARAMETER_TOLERANCE = 1e-4;

    private final String caseName;

    TrainingParityCase(String caseName) {
        this.caseName = caseName;
    }

    @Test
    void reproducesReferenceLossesAndParameters() {
        Path dir = Fixtures.dir(caseName);
        JsonNode json = Fixtures.caseJson(dir);
        long numUser = json.get("num_user").asLong();
        long numItem = json.get("num_item").asLong();
        boolean wordText = json.path("word_level_text").asBoolean(false);

        try (Arena arena = Arena.ofConfined()) {
            List<FeatureMatrix> modalities = new ArrayList<>();
            for (JsonNode m : json.get("modality_order")) {
                Npy feat = Npy.read(dir.resolve("feat_" + m.asText() + ".npy"));
                modalities.add(new FeatureMatrix(m.asText(), Fixtures.floats(arena, feat.floats()),
                        feat.rows(), feat.cols()));
            }
            WordPairs words = null;
            int wordDim = 128;
            if (wordText) {
                Npy pairs = Npy.read(dir.resolve("word_pairs.npy"));
                Npy table = Npy.read(dir.resolve("init_word_embedding.npy"));
                words = new WordPairs(Fixtures.longs(arena, pairs.longs()), pairs.cols(), table.rows());
                wordDim = Math.toIntExact(table.cols());
            }
            ModelConfig config = ModelConfig.defaults(numUser, numItem, json.get("num_warm_item").asLong())
                    .withDimE(json.get("dim_E").asInt())
                    .withHiddenDim(json.get("hidden_dim").asInt())
                    .withWordDim(wordDim)
                    .withTempValue(json.get("temp_value").asDouble())
                    .withLrLambda(json.get("lr_lambda").asDouble())
                    .withRegWeight(json.get("reg_weight").asDouble())
                    .withLearningRate(json.get("learning_rate").asDouble())
                    .withDevice(TestDevice.get())
                    .withNumThreads(1)
                    .withTrainWordEmbedding(false); // the reference detaches the word table

            try (ClcrecModel model = ClcrecModel.create(config, new ContentFeatures(modalities, words))) {
                List<String> names = initialParameterNames(dir);
                assertEquals(new TreeSet<>(names), new TreeSet<>(model.parameterNames()),
                        "the model's parameters are the reference's");
                for (String name : names) {
                    Npy init = Npy.read(dir.resolve("init_" + name + ".npy"));
                    assertArrayEquals(init.shape(), model.parameterShape(name), "shape of " + name);
                    model.setParameter(name, init.floats());
                    assertArrayEquals(init.floats(), model.parameter(name), name + " reads back as set");
                }

                JsonNode steps = json.get("steps");
                for (int s = 0; s < steps.size(); s++) {
                    Batch batch = Batch.read(dir, s, numUser, arena);
                    StepLosses before = model.computeLoss(batch.users, batch.size, batch.items, batch.group,
                            batch.hybrid, batch.numHybrid);
                    StepLosses losses = model.trainStep(batch.users, batch.size, batch.items, batch.group,
                            batch.hybrid, batch.numHybrid);
                    assertLosses(steps.get(s), losses, "step " + s);
                    assertLosses(steps.get(s), before, "computeLoss before step " + s);
                    for (String name : names) {
                        float[] expected = Npy.read(dir.resolve("step" + s + "_after_" + name + ".npy")).floats();
                        double err = Fixtures.relativeError(model.parameter(name), expected);
                        assertTrue(err <= PARAMETER_TOLERANCE,
                                caseName + " step " + s + ": " + name + " after Adam off by " + err + " (relative)");
                    }
                    assertEquals(s + 1, model.stepCount(), "step count");
                }

                float[] result = Npy.read(dir.resolve("final_result.npy")).floats();
                int dimE = config.dimE();
                float[] users = model.userEmbeddings();
                float[] items = model.itemRepresentation();
                assertRelative(Arrays.copyOfRange(result, 0, users.length), users, "final users");
                assertRelative(Arrays.copyOfRange(result, (int) numUser * dimE, result.length), items,
                        "final item representation");
                assertRelative(Npy.read(dir.resolve("final_encoder_output.npy")).floats(), model.encoderOutput(),
                        "final encoder output");
            }
        }
    }

    private void assertRelative(float[] expected, float[] actual, String what) {
        double err = Fixtures.relativeError(actual, expected);
        assertTrue(err <= PARAMETER_TOLERANCE, caseName + ": " + what + " off by " + err + " (relative)");
    }

    private void assertLosses(JsonNode expected, StepLosses actual, String when) {
        close(expected.get("loss_total").asDouble(), actual.loss(), when + " loss");
        close(expected.get("loss_re").asDouble(), actual.lossRe(), when + " loss_re");
        close(expected.get("loss_ui").asDouble(), actual.lossUi(), when + " loss_ui");
        close(expected.get("reg_loss_unweighted").asDouble(), actual.reg(), when + " reg");
        close(expected.get("mat").asDouble(), actual.mat(), when + " mat");
    }

    private void close(double expected, double actual, String what) {
        double err = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(err <= LOSS_TOLERANCE, caseName + " " + what + ": expected " + expected + ", got " + actual
                + " (relative error " + err + ")");
    }

    private static List<String> initialParameterNames(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("init_") && n.endsWith(".npy"))
                    .map(n -> n.substring("init_".length(), n.length() - ".npy".length()))
                    .sorted().toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One fixture step's batch in the engine's conventions (local item ids, one user per group). */
    record Batch(MemorySegment users, long size, MemorySegment items, long group, MemorySegment hybrid,
            long numHybrid) {
        static Batch read(Path dir, int step, long numUser, Arena arena) {
            Npy users = Npy.read(dir.resolve("step" + step + "_users.npy"));
            Npy items = Npy.read(dir.resolve("step" + step + "_items.npy"));
            Npy hybrid = Npy.read(dir.resolve("step" + step + "_hybrid_rows.npy"));
            long b = items.rows();
            long g = items.cols();
            long[] groupUsers = new long[(int) b];
            long[] local = items.longs().clone();
            for (int i = 0; i < b; i++) {
                groupUsers[i] = users.longs()[(int) (i * users.cols())]; // column 0: the group's user
            }
            for (int i = 0; i < local.length; i++) {
                local[i] -= numUser; // reference global id num_user + j -> local j
            }
            long numHybrid = hybrid.longs().length;
            return new Batch(Fixtures.longs(arena, groupUsers), b, Fixtures.longs(arena, local), g,
                    numHybrid == 0 ? null : Fixtures.longs(arena, hybrid.longs()), numHybrid);
        }
    }
}
