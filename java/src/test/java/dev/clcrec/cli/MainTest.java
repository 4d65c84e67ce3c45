package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.engine.Device;
import dev.clcrec.train.RunConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void authorsMovieLensCommandParsesUnchanged() {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs("--model_name", "CLCRec", "--data_path", "movielens", "--l_r", "0.001",
                "--reg_weight", "0.1", "--num_workers", "4", "--num_neg", "128", "--has_v", "True", "--has_a", "True",
                "--has_t", "False", "--lr_lambda", "0.5", "--temp_value", "2.0", "--num_sample", "0.5",
                "--batch_size", "256", "--dim_E", "64", "--topK", "10", "--step", "2000", "--num_epoch", "1000",
                "--seed", "1", "--no-cuda", "--PATH_weight_save", "w.pt", "--save_file", "res", "--prefix", "p_");
        RunConfig c = t.runConfig();
        assertEquals(0.5, c.model().lrLambda());
        assertEquals(2.0, c.model().tempValue());
        assertEquals(256, c.model().hiddenDim(), "the reference's fixed encoder width");
        assertFalse(c.options().decay().enabled(), "--l_r given: the step size stays fixed, as the authors' runs");
        assertEquals(Device.CPU, c.model().device());
        assertEquals(128, c.sampling().numNeg());
        assertEquals(4, c.sampling().numWorkers());
        assertEquals(0.5, c.sampling().numSample());
        assertEquals(10, c.options().selectionK());
        assertEquals(7, c.options().patience());
        assertEquals("w.pt", c.options().bestCheckpoint().toString());
        assertFalse(t.hasT);
        assertTrue(t.hasV);
        assertArrayEquals(new int[] {10, 20}, c.ks());
    }

    @Test
    void badBooleanSaysWhatToUse() {
        Run r = run("train", "--has_v", "Maybe");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'Maybe' is not a boolean; use True or False"), r.err());
    }

    @Test
    void unknownFlagIsNamed() {
        Run r = run("train", "--learning_rate", "0.1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--learning_rate"), r.err());
    }

    @Test
    void nonNumericValueIsNamed() {
        Run r = run("train", "--l_r", "fast");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--l_r") && r.err().contains("fast"), r.err());
    }

    @Test
    void missingDatasetDirectoryIsAUsageError() {
        Run r = run("train", "--data_path", "no/such/dir");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such dataset directory"), r.err());
    }

    @Test
    void helpEverywhere() {
        for (String cmd : new String[] {"train", "evaluate", "recommend", "embed-items", "demo", "prepare"}) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: clcrec " + cmd), cmd + ": " + r.out());
        }
        Run top = run("--help");
        assertTrue(top.out().contains("train") && top.out().contains("recommend"));
        assertEquals(2, run().code(), "no subcommand is a usage error");
    }

    @Test
    void recommendRequiresUserAndModel() {
        Run r = run("recommend", "--data_path", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--user") || r.err().contains("--model"), r.err());
    }
}
