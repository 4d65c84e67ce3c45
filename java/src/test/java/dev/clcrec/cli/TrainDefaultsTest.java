package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.train.RunConfig;
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
    void helpExplainsTheReferenceDefaults() {
        MainTest.Run r = MainTest.run("train", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--reference-defaults"), r.out());
        assertTrue(r.out().contains("--lr_lambda 1"), r.out());
    }
}
