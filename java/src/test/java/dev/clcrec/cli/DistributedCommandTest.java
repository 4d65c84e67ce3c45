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
            "--num_epoch", "3", "--seed", "1", "--device", "cpu", "--threads", "1", "--num_workers", "1", "--lr_lambda", "0.5",
            "--dist-timeout", "60"};

    /**
     * The best epoch's metrics after 3 epochs, two ranks against one process: float32 chaos (below).
     * Measured 1.2e-2 relative at most earlier (BENCHMARKS.md, "Exactness after 3 epochs"); on
     * 2026-12-05's VM val warm precision@10 was 0.019304 against 0.019699 (2.05e-2: five hits among
     * 1,264 users x 10). The losses (1e-5 and 1e-4) and the users counted (exact) are what catch a
     * wrong slice, weighting or shard.
     */
    private static final double BEST_EPOCH_METRIC_TOLERANCE = 4e-2;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** COMMON with {@code extra} added; an option given in extra replaces COMMON's value for it. */
    private static String[] with(String... extra) {
        List<String> given = List.of(extra);
        List<String> a = new ArrayList<>(List.of(COMMON[0]));
        for (int i = 1; i < COMMON.length; i += 2) {
            if (!given.contains(COMMON[i])) {
                a.add(COMMON[i]);
                a.add(COMMON[i + 1]);
            }
        }
        a.addAll(given);
        return a.toArray(String[]::new);
    }

    @Test
    @Timeout(900)
    void twoLocalRanksReportTheMetricsOfOneProcess() throws IOException {
        assertTwoRanksReportTheMetricsOfOneProcess();
    }

    @Test
    @Timeout(900)
    void twoLocalRanksReportTheMetricsOfOneProcessWithSparseUpdates() throws IOException {
        assertTwoRanksReportTheMetricsOfOneProcess("--sparse-updates");
    }

    private void assertTwoRanksReportTheMetricsOfOneProcess(String... flags) throws IOException {
        List<String> a1 = new ArrayList<>(List.of("--out", tmp.resolve("single").toString()));
        a1.addAll(List.of(flags));
        Run single = run(with(a1.toArray(String[]::new)));
        assertEquals(0, single.code(), single.err());
        List<String> a2 = new ArrayList<>(List.of("--out", tmp.resolve("two").toString(), "--nproc", "2"));
        a2.addAll(List.of(flags));
        Run two = run(with(a2.toArray(String[]::new)));
        assertEquals(0, two.code(), two.out() + two.err());
        assertTrue(two.out().contains("data-parallel: 2 ranks"), two.out());
        assertTrue(two.out().contains("best epoch"), "rank 0 prints the results table: " + two.out());
        // Every epoch's mean losses: N ranks take the steps of one process, to float32 summation order:
        // 1e-5 relative in epoch 0 (its steps' losses agree to ~1e-7); the later epochs carry the
        // amplified rounding differences described below (step losses up to 2.8e-5 apart by step 336,
        // dense or sparse), so they are held to 1e-4.
        List<String[]> csvA = csv(tmp.resolve("single/epochs.csv"));
        List<String[]> csvB = csv(tmp.resolve("two/epochs.csv"));
        assertEquals(4, csvA.size(), "header and 3 epochs");
        assertEquals(csvA.size(), csvB.size(), "both stopped at the same epoch");
        List<String> header = List.of(csvA.getFirst());
        for (int e = 1; e < csvA.size(); e++) {
            for (String column : List.of("loss", "loss_re", "loss_ui", "reg", "mat", "steps")) {
                int c = header.indexOf(column);
                double x = Double.parseDouble(csvA.get(e)[c]);
                double y = Double.parseDouble(csvB.get(e)[c]);
                assertEquals(x, y, (e == 1 ? 1e-5 : 1e-4) * Math.abs(x), "epoch " + (e - 1) + " " + column);
            }
        }
        // The issue asks for 1e-3 after 3 epochs; against an ordinary process that is not reachable with
        // float32 training (one process replaying the ranks meets it exactly: see the end), measured
        // (BENCHMARKS.md, "Exactness after 3 epochs"; RankProbe traces all 336 steps): each rank must round
        // its own partial sums (the table rows and encoder items both slices touch, the encoder's matmuls)
        // before they are added, so the step-0 gradient differs from one process's in its last bits, and
        // Adam on near-cancelling gradients plus LeakyReLU kinks amplify that: within epoch 0 the
        // parameters stay within 1.4e-4 relative, from step 116 on the difference spreads to every
        // element, and after 3 epochs the test metrics differ by up to 1.2e-2 relative (dense and
        // sparse). One process whose id table has a single element moved by one ulp before training
        // diverges from the unmoved one just as far (up to 9.6e-3 dense, 5.2e-3 sparse; 34 of 48 metrics
        // beyond 1e-3), so no reduction order can do better; one flipped hit is already 1.2e-3 of test
        // Precision@20 here. Replicas are bit-identical, the sharded evaluation is exact on the same
        // parameters (DistributedTrainingTest), 1 and 2 threads are bit-identical, and the first 20 steps
        // match to 1e-5: so every epoch-0 metric is held to 2e-2 relative and every best-epoch metric to
        // BEST_EPOCH_METRIC_TOLERANCE, the measured float32 chaos with some margin.
        int compared = compareMetrics(header, csvA.get(1), csvB.get(1), 2e-2);
        JsonNode a = new ObjectMapper().readTree(tmp.resolve("single/results.json").toFile());
        JsonNode b = new ObjectMapper().readTree(tmp.resolve("two/results.json").toFile());
        assertEquals(a.path("best").path("epoch").asInt(), b.path("best").path("epoch").asInt(), "same best epoch");
        JsonNode ea = a.path("best").path("eval").path("entries");
        JsonNode eb = b.path("best").path("eval").path("entries");
        assertEquals(6, ea.size());
        assertEquals(ea.size(), eb.size());
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
                    assertEquals(x, y, BEST_EPOCH_METRIC_TOLERANCE * Math.abs(x), ea.get(i).path("split") + "/"
                            + ea.get(i).path("setting") + " " + metric + "@" + k);
                    compared++;
                }
            }
        }
        assertTrue(compared >= 36 + 18, "compared " + compared + " metrics");
        assertOneProcessReplaysTheRanks(tmp.resolve("two"), flags);
    }

    /**
     * What the issue asks of the comparison above, and what float32 rounding denies it (1e-3 after 3
     * epochs), holds exactly for one process replaying the two ranks: its parameters after 3 epochs are
     * bit-identical to theirs, its losses equal, and its metrics differ only by the float64 order in
     * which the ranks' evaluation shards were summed.
     */
    private void assertOneProcessReplaysTheRanks(Path ranks, String... flags) throws IOException {
        List<String> a = new ArrayList<>(List.of("--out", tmp.resolve("replay").toString(), "--replay-ranks", "2"));
        a.addAll(List.of(flags));
        Run replay = run(with(a.toArray(String[]::new)));
        assertEquals(0, replay.code(), replay.out() + replay.err());
        Path replayed = tmp.resolve("replay");
        List<String[]> csvR = csv(ranks.resolve("epochs.csv"));
        List<String[]> csvP = csv(replayed.resolve("epochs.csv"));
        assertEquals(csvR.size(), csvP.size(), "both stopped at the same epoch");
        List<String> header = List.of(csvR.getFirst());
        int compared = 0;
        for (int e = 1; e < csvR.size(); e++) {
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c);
                double x = Double.parseDouble(csvR.get(e)[c]);
                double y = Double.parseDouble(csvP.get(e)[c]);
                if (List.of("loss", "loss_re", "loss_ui", "reg", "mat", "steps").contains(name)) {
                    assertEquals(x, y, 0.0, "epoch " + (e - 1) + " " + name);
                } else if (name.contains("@")) {
                    assertEquals(x, y, 1e-12 * Math.abs(x), "epoch " + (e - 1) + " " + name);
                    compared++;
                }
            }
        }
        assertTrue(compared >= 3 * 48, "compared " + compared + " metrics");
        JsonNode r = new ObjectMapper().readTree(ranks.resolve("results.json").toFile());
        JsonNode p = new ObjectMapper().readTree(replayed.resolve("results.json").toFile());
        assertEquals(r.path("best").path("epoch").asInt(), p.path("best").path("epoch").asInt(), "same best epoch");
        try (var data = dev.clcrec.data.Datasets.open(Path.of("test-data"));
             var fromRanks = dev.clcrec.engine.ClcrecModel.load(ranks.resolve("last.ckpt"), data.content(),
                     dev.clcrec.engine.Device.CPU, 0, 1);
             var fromReplay = dev.clcrec.engine.ClcrecModel.load(replayed.resolve("last.ckpt"), data.content(),
                     dev.clcrec.engine.Device.CPU, 0, 1)) {
            assertEquals(fromRanks.stepCount(), fromReplay.stepCount());
            assertTrue(fromRanks.stepCount() >= 3 * 112, "3 epochs of steps: " + fromRanks.stepCount());
            for (String name : fromRanks.parameterNames()) {
                float[] x = fromRanks.parameter(name);
                float[] y = fromReplay.parameter(name);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]),
                            name + "[" + i + "] after 3 epochs: ranks " + x[i] + ", replay " + y[i]);
                }
            }
        }
    }

    private static List<String[]> csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
    }

    private static int compareMetrics(List<String> header, String[] a, String[] b, double tolerance) {
        int n = 0;
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.contains("precision@") || name.contains("recall@") || name.contains("ndcg@")) {
                double x = Double.parseDouble(a[c]);
                double y = Double.parseDouble(b[c]);
                assertEquals(x, y, tolerance * Math.abs(x), "epoch 0 " + name);
                n++;
            }
        }
        return n;
    }

    @Test
    @Timeout(300)
    void aFailingRankFailsTheLaunch() {
        Run r = run(with("--data_path", tmp.resolve("missing").toString(), "--out", tmp.resolve("o").toString(),
                "--nproc", "2"));
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no such dataset directory"), "the rank's own message is passed on: " + r.err());
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
        Run replayZero = run(with("--replay-ranks", "0"));
        assertEquals(2, replayZero.code());
        assertTrue(replayZero.err().contains("--replay-ranks 0: must be in 1..65536"), replayZero.err());
        Run replayInGroup = run(with("--replay-ranks", "2", "--nproc", "2"));
        assertEquals(2, replayInGroup.code());
        assertTrue(replayInGroup.err().contains("--replay-ranks replays a group in one process"), replayInGroup.err());
        Run replayAsRank = run(with("--replay-ranks", "2", "--world-size", "2", "--rank", "1", "--master",
                "127.0.0.1:1234"));
        assertEquals(2, replayAsRank.code());
        assertTrue(replayAsRank.err().contains("this process is rank 1 of a group of 2"), replayAsRank.err());
        Run replayRuns = run(with("--replay-ranks", "2", "--runs", "2", "--out", tmp.resolve("runs").toString()));
        assertEquals(2, replayRuns.code(), replayRuns.out() + replayRuns.err());
        assertTrue(replayRuns.err().contains("cannot be combined with --replay-ranks or --sparse-updates"),
                replayRuns.err());
        Run orderAlone = run(with("--rank-order-reduction"));
        assertEquals(2, orderAlone.code());
        assertTrue(orderAlone.err().contains("--rank-order-reduction orders the sum over ranks"), orderAlone.err());
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
