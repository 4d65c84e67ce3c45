package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --nproc 2} starts two local ranks (child JVMs), reports what one process reports
 * after the same epochs, and fails cleanly when a rank fails; the data-parallel flags are checked.
 */
class DistributedCommandTest {
    @TempDir Path tmp;

    private static final String[] COMMON = {"train", "--data_path", "test-data", "--num_neg", "16", "--batch_size", "256",
            "--num_epoch", "3", "--seed", "1", "--no-cuda", "--threads", "1", "--num_workers", "1", "--lr_lambda", "0.5",
            "--dist-timeout", "60"};

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static String[] with(String... extra) {
        List<String> a = new ArrayList<>(List.of(COMMON));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    @Timeout(900)
    void twoLocalRanksReportTheMetricsOfOneProcess() throws IOException {
        Run single = run(with("--out", tmp.resolve("single").toString()));
        assertEquals(0, single.code(), single.err());
        Run two = run(with("--out", tmp.resolve("two").toString(), "--nproc", "2"));
        assertEquals(0, two.code(), two.out() + two.err());
        assertTrue(two.out().contains("data-parallel: 2 ranks"), two.out());
        assertTrue(two.out().contains("best epoch"), "rank 0 prints the results table: " + two.out());
        JsonNode a = new ObjectMapper().readTree(tmp.resolve("single/results.json").toFile());
        JsonNode b = new ObjectMapper().readTree(tmp.resolve("two/results.json").toFile());
        assertEquals(a.path("best").path("epoch").asInt(), b.path("best").path("epoch").asInt(), "same best epoch");
        JsonNode ea = a.path("best").path("eval").path("entries");
        JsonNode eb = b.path("best").path("eval").path("entries");
        assertEquals(6, ea.size());
        assertEquals(ea.size(), eb.size());
        int compared = 0;
        for (int i = 0; i < ea.size(); i++) {
            assertEquals(ea.get(i).path("usersCounted").asLong(), eb.get(i).path("usersCounted").asLong(),
                    "every user evaluated exactly once across the shards");
            var ks = ea.get(i).path("atK").fieldNames();
            while (ks.hasNext()) {
                String k = ks.next();
                for (String metric : List.of("precision", "recall", "ndcg")) {
                    double x = ea.get(i).path("atK").path(k).path(metric).asDouble();
                    double y = eb.get(i).path("atK").path(k).path(metric).asDouble();
                    assertTrue(x > 0, "metric " + metric + "@" + k + " computed");
                    assertEquals(x, y, 1e-3 * Math.abs(x), ea.get(i).path("split") + "/" + ea.get(i).path("setting")
                            + " " + metric + "@" + k);
                    compared++;
                }
            }
        }
        assertTrue(compared >= 36, "compared " + compared + " metrics");
    }

    @Test
    @Timeout(300)
    void aFailingRankFailsTheLaunch() {
        Run r = run(with("--data_path", tmp.resolve("missing").toString(), "--out", tmp.resolve("o").toString(),
                "--nproc", "2"));
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("[rank 0] error:") || r.err().contains("[rank 1] error:"), r.err());
        assertTrue(r.err().matches("(?s).*error: rank [01] of 2 failed \\(exit status \\d+\\).*"), r.err());
    }

    @Test
    void dataParallelFlagsAreChecked() {
        Run both = run(with("--nproc", "2", "--rank", "1"));
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--nproc starts its own ranks"), both.err());
        Run rank = run(with("--world-size", "2", "--rank", "2", "--master", "127.0.0.1:1234"));
        assertEquals(2, rank.code());
        assertTrue(rank.err().contains("--rank 2: must be in 0..1 for world size 2"), rank.err());
        Run master = run(with("--world-size", "2", "--rank", "1", "--master", "localhost"));
        assertEquals(2, master.code());
        assertTrue(master.err().contains("--master 'localhost': expected HOST:PORT"), master.err());
        Run nproc = run(with("--nproc", "-1"));
        assertEquals(2, nproc.code());
        assertTrue(nproc.err().contains("--nproc -1: must be in 0..256"), nproc.err());
        Run timeout = run(with("--world-size", "2", "--rank", "0", "--master", "127.0.0.1:1", "--dist-timeout", "0"));
        assertEquals(2, timeout.code());
        assertTrue(timeout.err().contains("--dist-timeout 0.0: must be in (0, 86400] seconds"), timeout.err());
    }

    @Test
    void torchrunEnvironmentIsHonoured() {
        DistributedOptions o = new DistributedOptions();
        o.timeoutSeconds = 5;
        var spec = picocli.CommandLine.Model.CommandSpec.create();
        var rank = o.resolve(spec, java.util.Map.of("WORLD_SIZE", "4", "RANK", "3", "MASTER_ADDR", "10.0.0.7",
                "MASTER_PORT", "29500"));
        assertEquals(new DistributedOptions.Rank(4, 3, "10.0.0.7", 29500, java.time.Duration.ofSeconds(5)), rank);
        assertNull(o.resolve(spec, java.util.Map.of()), "no group without WORLD_SIZE");
        o.rank = 1;
        o.worldSize = 2;
        o.master = "127.0.0.1:4000";
        assertEquals(new DistributedOptions.Rank(2, 1, "127.0.0.1", 4000, java.time.Duration.ofSeconds(5)),
                o.resolve(spec, java.util.Map.of("WORLD_SIZE", "4", "RANK", "3")), "flags win over the environment");
    }
}
