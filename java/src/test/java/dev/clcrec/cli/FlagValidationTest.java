package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.train.OutputLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that make no sense are refused before anything runs, naming the flag; no raw trace reaches the user. */
class FlagValidationTest {
    @TempDir Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--num_epoch, 0", "--num_neg, 0", "--lr_lambda, 2", "--lr_lambda, -0.1", "--reg_weight, -1",
            "--threads, -5", "--dim_E, 2147483647", "--dim_E, 0", "--hidden_dim, 0", "--hidden_dim, 2147483647",
            "--lr-decay, 1", "--lr-decay, 0", "--lr-decays, -1", "--lr-decays, 11", "--lr-decay-patience, 0",
            "--lr-decay-warmup, -1",
            "--batch_size, 1000000000", "--batch_size, 0",
            "--l_r, 0", "--l_r, NaN", "--temp_value, 0", "--re-temp-value, -1", "--re-temp-value, NaN", "--num_sample, 1.5", "--topK, 0", "--step, 0",
            "--patience, 0", "--num_workers, -1", "--ks, 0", "--max-minutes, -1", "--save_file, ../../x.json",
            "--save_file, sub/x.json", "--prefix, ../p", "--hybrid, pairs", "--hybrid, ''",
            "'--content-fusion', '0.5,-1'", "--content-fusion, Infinity"})
    void outOfRangeTrainFlagIsAUsageErrorNamingIt(String flag, String value) {
        Path out = tmp.resolve("out");
        MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--no-cuda", "--out", out.toString(),
                flag, value);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(flag), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out.resolve("results.json")), "nothing ran");
    }

    @Test
    void rowsPerStepAreBoundedToo() {
        MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--batch_size", "1000000",
                "--num_neg", "1000", "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--batch_size") && r.err().contains("--num_neg"), r.err());
    }

    @Test
    void otherCommandsCheckTheirFlags() {
        MainTest.Run r = MainTest.run("recommend", "--data_path", "test-data", "--model", "x.ckpt", "--user", "1",
                "--threads", "-5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threads"), r.err());
        r = MainTest.run("evaluate", "--data_path", "test-data", "--model", "x.ckpt", "--ks", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--ks"), r.err());
        r = MainTest.run("evaluate", "--data_path", "test-data", "--model", "x.ckpt", "--content-fusion", "0.5,-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--content-fusion"), r.err());
        String[][] fusing = {{"demo", "--out", tmp.resolve("demo").toString()},
                {"export", "--PATH_weight_load", "x.ckpt", "--out", tmp.resolve("export").toString()}};
        for (String[] args : fusing) {
            String[] all = java.util.Arrays.copyOf(args, args.length + 4);
            System.arraycopy(new String[] {"--data_path", "test-data", "--content-fusion", "-1"}, 0, all, args.length, 4);
            r = MainTest.run(all);
            assertEquals(2, r.code(), args[0] + ": " + r.err());
            assertTrue(r.err().startsWith("--content-fusion -1.0: must be >= 0"), args[0] + ": " + r.err());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--retrieval, fast", "--retrieval, ''", "--ef-search, 0", "--ef-search, -3"})
    void aBadRetrievalFlagIsRefusedBeforeTheModelLoads(String flag, String value) {
        MainTest.Run r = MainTest.run("serve", "--model", tmp.resolve("no-bundle").toString(), "--allow-unauthenticated",
                flag, value);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(flag), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aSecondRunOnTheSameOutIsRefused() {
        Path out = tmp.resolve("busy");
        try (OutputLock held = OutputLock.acquire(out)) {
            MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--no-cuda", "--num_epoch", "1",
                    "--out", out.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("in use by another training run") && r.err().contains(out.toString()), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        // released: the lock can be taken again
        OutputLock.acquire(out).close();
    }

    @Test
    void errorsAreOneLineAndVerboseAddsTheTrace() {
        MainTest.Run plain = MainTest.run("recommend", "--data_path", "test-data", "--model",
                tmp.resolve("none.ckpt").toString(), "--user", "1", "--no-cuda");
        assertEquals(1, plain.code());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        assertTrue(plain.err().startsWith("error: ") && plain.err().contains("none.ckpt"), plain.err());
        MainTest.Run verbose = MainTest.run("recommend", "--data_path", "test-data", "--model",
                tmp.resolve("none.ckpt").toString(), "--user", "1", "--no-cuda", "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the trace: " + verbose.err());
    }
}
