package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainBaselinesTest {
    @TempDir
    Path tmp;

    @Test
    void baselinesTableHasTheIdOnlyModelOnWarmItemsAndWarnsWhereABaselineWins() {
        // One epoch at a tiny learning rate: the model is still near its init, so content-kNN beats it.
        MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--num_epoch", "1", "--l_r", "0.00001",
                "--num_neg", "8", "--threads", "1", "--no-cuda", "--baselines", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        String[] idOnly = Arrays.stream(r.out().split("\n")).filter(l -> l.startsWith("id-only")).toArray(String[]::new);
        assertEquals(2, idOnly.length, r.out());
        for (String l : idOnly) {
            assertTrue(l.split("\\s+")[2].equals("warm"), l);
        }
        assertTrue(r.out().contains("warning: content-kNN beats CLCRec on test cold items"), r.out());
    }

    @Test
    void baselinesWithSeveralRunsIsRefusedNotIgnored() {
        MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--num_epoch", "1", "--runs", "2",
                "--baselines", "--no-cuda", "--out", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--baselines") && r.err().contains("--runs"), r.err());
    }
}
