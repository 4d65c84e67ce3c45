package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code clcrec train} process is SIGKILLed at random moments, half of them while it is
 * writing a checkpoint; each time a resume from what is on disk must reproduce the uninterrupted
 * run exactly (every epoch's losses and evaluations, bit for bit) or be refused with a one-line
 * error. A silent divergence fails the test. Trials: {@code -Dclcrec.crash.trials} (default 3).
 */
class CrashConsistencyTest {
    private static final int TRIALS = Integer.getInteger("clcrec.crash.trials", 3);
    private static final int EPOCHS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private static List<String> trainArgs(Path out) {
        return List.of("train", "--data_path", "test-data", "--no-cuda", "--threads", "1", "--num_workers", "1",
                "--dim_E", "8", "--num_neg", "4", "--batch_size", "1024", "--num_epoch", Integer.toString(EPOCHS),
                "--patience", "10", "--ks", "10", "--seed", "3", "--out", out.toString());
    }

    private Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx1g");
        String lib = System.getProperty("clcrec.library");
        if (lib != null) {
            cmd.add("-Dclcrec.library=" + lib);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.clcrec.cli.Main");
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(log.resolveSibling(log.getFileName()
                + ".out").toFile()).redirectError(log.toFile()).start();
    }

    private static int await(Process p) throws InterruptedException {
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("training process did not finish within 300 s");
        }
        return p.exitValue();
    }

    /** The history with the timing fields removed: what must be identical between runs. */
    private static JsonNode history(Path out) throws IOException {
        JsonNode h = JSON.readTree(out.resolve("results.json").toFile()).path("history");
        for (JsonNode r : h) {
            ((ObjectNode) r).remove(List.of("trainSeconds", "samplerWaitSeconds", "nativeStepSeconds", "evalSeconds"));
        }
        return h;
    }

    private static List<String> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    @Test
    void killedRunsResumeExactlyOrAreRefused() throws Exception {
        Path ref = tmp.resolve("ref");
        long t0 = System.nanoTime();
        assertEquals(0, await(start(trainArgs(ref), tmp.resolve("ref.log"))), Files.readString(tmp.resolve("ref.log")));
        long refMillis = (System.nanoTime() - t0) / 1_000_000;
        JsonNode expected = history(ref);
        assertEquals(EPOCHS, expected.size());

        Random random = new Random(11);
        int exact = 0;
        int refused = 0;
        int duringSave = 0;
        int beforeFirstCheckpoint = 0;
        StringBuilder report = new StringBuilder();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path out = tmp.resolve("trial" + trial);
            Path log = tmp.resolve("trial" + trial + ".log");
            Process p = start(trainArgs(out), log);
            boolean atSave = trial % 2 == 0;
            boolean sawTemporary = false;
            if (atSave) {
                // kill when the n-th checkpoint write (a temporary beside last.ckpt) is seen
                int target = 1 + random.nextInt(2 * EPOCHS);
                Set<String> seen = new HashSet<>();
                while (p.isAlive() && seen.size() < target) {
                    if (Files.isDirectory(out)) {
                        for (String n : temporaries(out)) {
                            if (n.contains(".archive-")) {
                                seen.add(n.substring(n.indexOf(".archive-"), Math.min(n.length(),
                                        n.indexOf(".archive-") + 45)));
                            }
                        }
                    }
                    Thread.onSpinWait();
                }
                sawTemporary = p.isAlive();
            } else {
                // somewhere inside the run (the reference's duration), past JVM start-up
                Thread.sleep((long) (refMillis * (0.2 + 0.7 * random.nextDouble())));
            }
            boolean killed = p.isAlive();
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            if (sawTemporary) {
                duringSave++;
            }
            Path last = out.resolve("last.ckpt");
            List<String> args = new ArrayList<>(trainArgs(out));
            if (Files.exists(last)) {
                args.add("--PATH_weight_load");
                args.add(last.toString());
            } else {
                beforeFirstCheckpoint++;
            }
            Path resumeLog = tmp.resolve("resume" + trial + ".log");
            int code = await(start(args, resumeLog));
            String err = Files.readString(resumeLog);
            if (code == 0) {
                assertEquals(expected, history(out), "trial " + trial + ": the resumed run diverged from the "
                        + "uninterrupted one (killed " + (sawTemporary ? "during a save" : "at a random moment") + ")");
                assertEquals(List.of(), temporaries(out), "trial " + trial + ": temporaries left behind");
                exact++;
            } else {
                assertTrue(err.startsWith("error: ") && !err.contains("\tat "),
                        "trial " + trial + ": a refused resume says why in one line: " + err);
                refused++;
            }
            report.append(String.format("trial %d: %s, %s -> %s%n", trial, killed ? "killed" : "finished first",
                    sawTemporary ? "during a checkpoint write" : "at a random moment",
                    code == 0 ? "resumed, identical" : "refused: " + err.strip()));
        }
        System.out.printf("crash consistency: %d trials (%d killed during a save, %d before the first checkpoint): "
                + "%d resumed identically, %d refused clearly, 0 diverged%n%s", TRIALS, duringSave,
                beforeFirstCheckpoint, exact, refused, report);
        assertEquals(TRIALS, exact + refused);
    }
}
