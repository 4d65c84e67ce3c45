package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train --select-on}, {@code --runs} and {@code --parallel} through the command line. */
class TrainSelectionFlagsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void selectOnDefaultsToTheReferenceRuleAndItsKIsEvaluated() {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs("--topK", "20", "--ks", "10");
        RunConfig c = t.runConfig();
        assertEquals(SelectionCriterion.parse("val:all:recall@20"), c.options().selection());
        TrainCommand n = new TrainCommand();
        new CommandLine(n).parseArgs("--select-on", "val:cold:ndcg@50", "--ks", "10,20");
        RunConfig nc = n.runConfig();
        assertEquals(SelectionCriterion.parse("val:cold:ndcg@50"), nc.options().selection());
        assertArrayEquals(new int[] {10, 20, 50}, nc.ks(), "K of --select-on is added to --ks");
    }

    @Test
    void badSelectionAndRunFlagsAreNamed() {
        MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--select-on", "val:cold:mrr@10");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--select-on") && r.err().contains("unknown metric 'mrr'"), r.err());
        r = MainTest.run("train", "--data_path", "test-data", "--runs", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--runs must be >= 1"), r.err());
        r = MainTest.run("train", "--data_path", "test-data", "--runs", "2", "--parallel", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--parallel must be between 1 and"), r.err());
    }

    @Test
    void threeRunsReportMeanAndStdOfTheirOwnNumbers(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            LayoutWriter.write(d, data, Map.of());
        }
        Path out = tmp.resolve("out");
        MainTest.Run r = MainTest.run("train", "--data_path", data.toString(), "--num_epoch", "3", "--ks", "5",
                "--batch_size", "32", "--num_neg", "8", "--dim_E", "8", "--l_r", "0.03", "--step", "50",
                "--threads", "1", "--no-cuda", "--seed", "7", "--select-on", "val:warm:hit@5", "--runs", "3",
                "--parallel", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("mean ± std over 3 runs"), r.out());
        JsonNode root = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals("val:warm:hit@5", root.path("selection").asText());
        JsonNode runs = root.path("runs");
        assertEquals(3, runs.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(7 + i, runs.get(i).path("seed").asLong());
            Path dir = Path.of(runs.get(i).path("dir").asText());
            assertTrue(Files.isRegularFile(dir.resolve("results.json")), "each run keeps its own results");
            assertEquals(runs.get(i).path("best"), JSON.readTree(dir.resolve("results.json").toFile()).path("best"));
        }
        JsonNode stats = root.path("summary").path("stats");
        int checked = 0;
        for (Iterator<String> it = stats.fieldNames(); it.hasNext(); ) {
            String key = it.next(); // split_setting_metric@k
            String[] p = key.split("_|@");
            double[] v = new double[3];
            for (int i = 0; i < 3; i++) {
                for (JsonNode e : runs.get(i).path("best").path("eval").path("entries")) {
                    if (e.path("split").asText().equalsIgnoreCase(p[0]) && e.path("setting").asText().equalsIgnoreCase(p[1])) {
                        v[i] = e.path("atK").path(p[3]).path(p[2]).asDouble();
                    }
                }
            }
            double mean = Arrays.stream(v).average().orElseThrow();
            double std = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / 2);
            assertEquals(mean, stats.path(key).path("mean").asDouble(), 1e-12, key);
            assertEquals(std, stats.path(key).path("std").asDouble(), 1e-12, key);
            checked++;
        }
        assertEquals(2 * 3 * 4, checked, "every split, setting and metric at K=5: " + stats);
    }
}
