package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.train.SyntheticData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native-backed, end to end through the command line on a tiny dataset: a search of a few trials,
 * its @argfile retraining the best trial to the same validation value, and a resumed search.
 */
class TuneCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path tmp;
    static Path data;
    static Path space;

    @BeforeAll
    static void writeData() throws Exception {
        data = tmp.resolve("data");
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false)) {
            LayoutWriter.write(d, data, Map.of());
        }
        space = tmp.resolve("space.json");
        Files.writeString(space, "{\"l_r\": {\"log_uniform\": [0.01, 0.05]}, \"dim_E\": {\"choice\": [8, 16]},"
                + " \"num_neg\": {\"choice\": [4, 8]}, \"temp_value\": {\"log_uniform\": [0.5, 4]}}");
    }

    record Result(int code, String out, String err) {}

    static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static List<String> tune(Path out, int trials, long searchSeed) {
        return new ArrayList<>(List.of("tune", "--trials", Integer.toString(trials), "--minutes", "0",
                "--min-epochs", "1", "--eta", "2", "--threads", "1", "--space", space.toString(),
                "--select-on", "val:cold:recall@5", "--search-seed", Long.toString(searchSeed), "--out", out.toString(),
                "--data_path", data.toString(), "--num_epoch", "4", "--patience", "2", "--ks", "5", "--step", "50",
                "--batch_size", "32", "--seed", "3", "--no-cuda"));
    }

    @Test
    void searchWritesLeaderboardPlotAndAnArgfileThatReproducesTheBestTrial() throws Exception {
        Path out = tmp.resolve("tune");
        Result r = run(tune(out, 4, 1));
        assertEquals(0, r.code(), r.out() + r.err());
        for (String f : List.of("leaderboard.csv", "leaderboard.json", "tune.png", "best.args", "best.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " written");
        }
        JsonNode board = JSON.readTree(out.resolve("leaderboard.json").toFile());
        JsonNode trials = board.path("trials");
        assertEquals(4, trials.size());
        // the chosen trial is the completed one with the best validation value
        JsonNode best = null;
        for (JsonNode t : trials) {
            assertFalse(t.path("validation").fieldNames().hasNext()
                    && JSON.convertValue(t.path("validation"), Map.class).keySet().stream()
                    .anyMatch(k -> k.toString().startsWith("test")), "the leaderboard holds no test metric");
            if (t.path("status").asText().equals("COMPLETED")
                    && (best == null || t.path("value").asDouble() > best.path("value").asDouble())) {
                best = t;
            }
        }
        assertNotNull(best, "some trial completed: " + trials);
        JsonNode chosen = JSON.readTree(out.resolve("best.json").toFile()).path("best_trial");
        assertEquals(best.path("index").asInt(), chosen.path("index").asInt());
        List<String> csv = Files.readAllLines(out.resolve("leaderboard.csv"));
        assertEquals(5, csv.size(), "header and four trials");
        assertTrue(csv.getFirst().startsWith("rank,trial,status,val:cold:recall@5"), csv.getFirst());
        assertTrue(csv.get(1).startsWith("1," + best.path("index").asInt() + ",completed"), csv.get(1));

        // clcrec train @best.args reproduces the best trial's validation value exactly: it pins the
        // defaults the thin content chose, since a searched --l_r given to train would change them
        String argFile = Files.readString(out.resolve("best.args"));
        assertTrue(argFile.contains("--hidden_dim=" + TrainDefaults.THIN_HIDDEN_DIM), argFile);
        Path again = tmp.resolve("retrain");
        Result t = run(List.of("train", "@" + out.resolve("best.args"), "--out", again.toString()));
        assertEquals(0, t.code(), t.out() + t.err());
        JsonNode res = JSON.readTree(again.resolve("results.json").toFile());
        assertEquals("val:cold:recall@5", res.path("selection").asText());
        assertEquals(best.path("value").asDouble(), res.path("best_selection_value").asDouble(), 0.0);
        assertEquals(best.path("bestEpoch").asLong(), res.path("best").path("epoch").asLong(),
                "trial " + best + "\nretrained: " + Files.readString(again.resolve("epochs.csv")) + "\nargs: "
                        + Files.readString(out.resolve("best.args")));

        // resumed with a larger budget: the four trials are kept as they were and one more is run
        Result resumed = run(tune(out, 5, 1));
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        JsonNode board2 = JSON.readTree(out.resolve("leaderboard.json").toFile());
        assertEquals(5, board2.path("trials").size());
        for (int i = 0; i < 4; i++) {
            assertEquals(trials.get(i), board2.path("trials").get(i), "trial " + i + " kept");
        }
        long printed = resumed.out().lines().filter(l -> l.startsWith("trial ")).count();
        assertEquals(1, printed, "only the new trial ran: " + resumed.out());

        // another search in the same directory is refused, naming the file
        Result other = run(tune(out, 5, 2));
        assertNotEquals(0, other.code());
        assertTrue(other.err().contains("leaderboard.json") && other.err().contains("another search"), other.err());
    }

    @Test
    void flagsThatClashWithTheSearchAreRefusedByName() {
        List<String> args = tune(tmp.resolve("clash"), 2, 1);
        args.addAll(List.of("--l_r", "0.01"));
        Result r = run(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--l_r is searched"), r.err());
        List<String> bad = tune(tmp.resolve("bad"), 2, 1);
        bad.set(bad.indexOf("val:cold:recall@5"), "test:cold:recall@5");
        r = run(bad);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("validation"), r.err());
        List<String> badK = tune(tmp.resolve("badk"), 2, 1);
        badK.set(badK.indexOf("val:cold:recall@5"), "val:cold:recall@0");
        r = run(badK);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--select-on"), r.err());
    }
}
