package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.train.RunConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainDefaultsTest {
    private static RunConfig parse(String... args) {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs(args);
        return t.runConfig();
    }

    @Test
    void noModelFlagsGiveOurDefaultsNotTheReferences() {
        RunConfig c = parse("--data_path", "test-data");
        assertEquals(Double.parseDouble(TrainDefaults.LR_LAMBDA), c.model().lrLambda());
        assertTrue(c.model().lrLambda() < 1, "the user-item term must have a weight");
        assertEquals(Double.parseDouble(TrainDefaults.TEMP_VALUE), c.model().tempValue());
        assertEquals(Double.parseDouble(TrainDefaults.L_R), c.model().learningRate());
        assertEquals(Double.parseDouble(TrainDefaults.REG_WEIGHT), c.model().regWeight());
        assertEquals(Integer.parseInt(TrainDefaults.NUM_NEG), c.sampling().numNeg());
        assertEquals(Double.parseDouble(TrainDefaults.NUM_SAMPLE), c.sampling().numSample());
        assertEquals(Integer.parseInt(TrainDefaults.DIM_E), c.model().dimE());
    }

    /** Content of the given modality widths, one item (only the widths matter here). */
    private static ContentFeatures content(Arena arena, long... widths) {
        List<FeatureMatrix> ms = new java.util.ArrayList<>();
        for (long w : widths) {
            ms.add(new FeatureMatrix("m" + ms.size(), arena.allocate(ValueLayout.JAVA_FLOAT, w), 1, w));
        }
        return new ContentFeatures(ms);
    }

    /** The run configuration train would use on that content, and the line it would print. */
    private record Chosen(RunConfig config, String line) {}

    private static Chosen onContent(ContentFeatures content, String... args) {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs(args);
        String line = t.applyContentDefaults(content);
        return new Chosen(t.runConfig(), line);
    }

    @Test
    void richContentTakesAWiderEmbeddingAndFewerNegatives() {
        try (Arena arena = Arena.ofConfined()) {
            Chosen c = onContent(content(arena, 600, 400), "--data_path", "test-data"); // 1,000 columns in all
            assertEquals(TrainDefaults.RICH_DIM_E, c.config().model().dimE());
            assertEquals(TrainDefaults.RICH_NUM_NEG, c.config().sampling().numNeg());
            assertTrue(c.line().contains("1,000 columns") && c.line().contains("--dim_E 128")
                    && c.line().contains("--num_neg " + TrainDefaults.RICH_NUM_NEG)
                    && c.line().contains("--content-fusion 0,0.1,0.25,0.5,1,2"), c.line());
            assertArrayEquals(new double[] {0, 0.1, 0.25, 0.5, 1, 2}, c.config().fusionWeights());
            assertEquals(Double.parseDouble(TrainDefaults.L_R), c.config().model().learningRate(), "the rest unchanged");
        }
    }

    @Test
    void thinContentTakesThePapersTemperatureAndStepSizeALighterRegulariserAndAWiderEncoder() {
        try (Arena arena = Arena.ofConfined()) {
            for (Chosen c : List.of(onContent(content(arena, 19, 12, 64), "--data_path", "test-data"),
                    onContent(content(arena, 999), "--data_path", "test-data"))) {
                assertEquals(Double.parseDouble(TrainDefaults.THIN_TEMP_VALUE), c.config().model().tempValue());
                assertEquals(Double.parseDouble(TrainDefaults.THIN_L_R), c.config().model().learningRate());
                assertEquals(Double.parseDouble(TrainDefaults.THIN_REG_WEIGHT), c.config().model().regWeight());
                assertEquals(Integer.parseInt(TrainDefaults.THIN_HIDDEN_DIM), c.config().model().hiddenDim());
                assertEquals(0, c.config().options().decay().times(), "a fixed step size");
                assertEquals(Integer.parseInt(TrainDefaults.THIN_PATIENCE), c.config().options().patience());
                assertEquals(Double.parseDouble(TrainDefaults.THIN_AVERAGE_WEIGHTS), c.config().options().averageDecay());
                assertEquals(Integer.parseInt(TrainDefaults.DIM_E), c.config().model().dimE(), "the rest unchanged");
                assertEquals(Integer.parseInt(TrainDefaults.NUM_NEG), c.config().sampling().numNeg());
                assertTrue(c.line().contains("(thin: under 1,000)") && c.line().contains("--temp_value 2 ")
                        && c.line().contains("--l_r 0.001 ") && c.line().contains("--reg_weight 0.01 ")
                        && c.line().contains("--hidden_dim 512 ") && c.line().contains("--lr-decays 0 ")
                        && c.line().contains("--patience 15 ") && c.line().contains("--average-weights 0.8 ")
                        && c.line().contains("--content-fusion 0,0.1,0.25,0.5,1,2 "), c.line());
                assertArrayEquals(new double[] {0, 0.1, 0.25, 0.5, 1, 2}, c.config().fusionWeights());
            }
        }
    }

    @Test
    void onThinContentAFlagGivenWinsAndAStepSizeGivenKeepsTheReferencesEncoder() {
        try (Arena arena = Arena.ofConfined()) {
            Chosen temp = onContent(content(arena, 95), "--data_path", "test-data", "--temp_value", "0.5");
            assertEquals(0.5, temp.config().model().tempValue());
            assertEquals(Double.parseDouble(TrainDefaults.THIN_L_R), temp.config().model().learningRate());
            assertFalse(temp.line().contains("--temp_value"), temp.line());
            // The authors' commands give --l_r and every other model flag: they train as before.
            Chosen authors = onContent(content(arena, 95), "--data_path", "test-data", "--l_r", "0.001",
                    "--reg_weight", "0.1", "--num_neg", "128", "--lr_lambda", "0.5", "--temp_value", "2",
                    "--num_sample", "0.5", "--dim_E", "64");
            assertNull(authors.line(), "nothing was chosen for the authors' command");
            assertEquals(256, authors.config().model().hiddenDim());
            assertEquals(0.1, authors.config().model().regWeight());
            assertEquals(0, authors.config().options().decay().times());
            assertEquals(7, authors.config().options().patience(), "the reference's stopping rule");
            assertEquals(0, authors.config().options().averageDecay(), "each epoch's own weights");
            assertFalse(authors.config().fusesContent(), "the model ranks new items alone");
            Chosen fusion = onContent(content(arena, 95), "--data_path", "test-data", "--content-fusion", "0,3");
            assertArrayEquals(new double[] {0, 3}, fusion.config().fusionWeights());
            assertFalse(fusion.line().contains("--content-fusion"), fusion.line());
            Chosen decays = onContent(content(arena, 95), "--data_path", "test-data", "--lr-decays", "1");
            assertEquals(1, decays.config().options().decay().times());
            Chosen reference = onContent(content(arena, 95), "--data_path", "test-data", "--reference-defaults");
            assertNull(reference.line());
            assertEquals(1.0, reference.config().model().tempValue());
            assertEquals(256, reference.config().model().hiddenDim());
            assertFalse(reference.config().fusesContent());
        }
    }

    @Test
    void onRichContentAFlagGivenWinsAndTheReferenceDefaultsStayTheReferences() {
        try (Arena arena = Arena.ofConfined()) {
            Chosen given = onContent(content(arena, 3000), "--data_path", "test-data", "--dim_E", "64");
            assertEquals(64, given.config().model().dimE());
            assertEquals(TrainDefaults.RICH_NUM_NEG, given.config().sampling().numNeg());
            assertFalse(given.line().contains("--dim_E"), given.line());
            Chosen both = onContent(content(arena, 3000), "--data_path", "test-data", "--dim_E", "32",
                    "--num_neg", "8");
            assertFalse(both.line().contains("--dim_E") || both.line().contains("--num_neg"), both.line());
            assertEquals(32, both.config().model().dimE());
            assertEquals(8, both.config().sampling().numNeg());
            Chosen reference = onContent(content(arena, 3000), "--data_path", "test-data", "--reference-defaults");
            assertNull(reference.line());
            assertEquals(64, reference.config().model().dimE());
            assertEquals(512, reference.config().sampling().numNeg());
            assertTrue(given.config().fusesContent(), "content evidence on rich content too");
            assertFalse(reference.config().fusesContent(), "the reference ranks new items by the model alone");
            Chosen authors = onContent(content(arena, 3000), "--data_path", "test-data", "--l_r", "0.001");
            assertFalse(authors.config().fusesContent(), "a command that gives the step size, as the authors' do");
            ContentFeatures dense = content(arena, 4096);
            dense.modalities().getFirst().data().fill((byte) 0x3f); // every value about 0.75
            Chosen image = onContent(dense, "--data_path", "test-data");
            assertFalse(image.config().fusesContent(), "dense wide content (an image's features) does not fuse");
            assertEquals(TrainDefaults.RICH_DIM_E, image.config().model().dimE());
        }
    }

    @Test
    void referenceDefaultsRestoreTheArgparseValuesOfFlagsNotGiven() {
        RunConfig c = parse("--data_path", "test-data", "--reference-defaults", "--temp_value", "3");
        assertEquals(1.0, c.model().lrLambda());
        assertEquals(0.001, c.model().learningRate());
        assertEquals(0.1, c.model().regWeight());
        assertEquals(512, c.sampling().numNeg());
        assertEquals(0.5, c.sampling().numSample());
        assertEquals(64, c.model().dimE());
        assertEquals(3.0, c.model().tempValue(), "a flag given keeps its value");
    }

    @Test
    void everyChangedFlagNamesAnOptionWhoseDefaultIsOurs() {
        CommandLine cl = new CommandLine(new TrainCommand());
        assertFalse(TrainDefaults.CHANGED.isEmpty());
        for (TrainDefaults.Flag f : TrainDefaults.CHANGED) {
            var opt = cl.getCommandSpec().findOption(f.name());
            assertNotNull(opt, f.name());
            assertEquals(f.ours(), opt.defaultValue(), f.name());
            assertTrue(String.join(" ", opt.description()).contains("reference " + f.reference()), f.name());
        }
    }

    @Test
    void theStepSizeIsLoweredOnAPlateauUnlessAStepSizeIsChosen() {
        assertEquals(1, decaysOf(), "ours by default");
        assertEquals(0, decaysOf("--l_r", "0.001"), "a step size given is kept");
        assertEquals(2, decaysOf("--l_r", "0.001", "--lr-decays", "2"), "unless the schedule is given too");
        assertEquals(0, decaysOf("--reference-defaults"), "the reference never lowers it");
        assertEquals(1, decaysOf("--reference-defaults", "--lr-decays", "1"));
    }

    private static int decaysOf(String... args) {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs(args);
        return t.runConfig().options().decay().times();
    }

    @Test
    void helpExplainsTheReferenceDefaults() {
        MainTest.Run r = MainTest.run("train", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--reference-defaults"), r.out());
        assertTrue(r.out().contains("--lr_lambda 1"), r.out());
    }
}
