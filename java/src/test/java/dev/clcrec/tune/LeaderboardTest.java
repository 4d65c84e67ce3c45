package dev.clcrec.tune;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderboardTest {
    static final SearchSpace SPACE = SearchSpace.defaults();

    static Map<String, Object> search(long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("selection", "val:cold:recall@10");
        m.put("space", SPACE.describe());
        return m;
    }

    static Trial trial(int index, TrialStatus status, Double value) {
        return new Trial(index, SPACE.sample(9, index), status, value, 1, 2, List.of(0.1, value == null ? 0.1 : value),
                Map.of("val_cold_recall@10", value == null ? 0.0 : value), 1, 3.5, "m");
    }

    @Test
    void roundTripsAndChoosesTheBestCompletedTrial(@TempDir Path dir) {
        Leaderboard b = Leaderboard.openOrCreate(dir, search(9), SPACE, 9);
        assertTrue(b.trials().isEmpty());
        b = b.with(trial(0, TrialStatus.COMPLETED, 0.2)).with(trial(1, TrialStatus.PRUNED, 0.5))
                .with(trial(2, TrialStatus.COMPLETED, 0.3)).with(trial(3, TrialStatus.TIME_LIMIT, 0.9));
        assertEquals(2, b.best().orElseThrow().index(), "pruned and cut trials never win");
        b.write(dir, "val:cold:recall@10");
        Leaderboard back = Leaderboard.openOrCreate(dir, search(9), SPACE, 9);
        assertEquals(b.trials(), back.trials(), "every trial reads back as written");
        // a re-run trial replaces its earlier entry
        Leaderboard rerun = back.with(trial(3, TrialStatus.COMPLETED, 0.4));
        assertEquals(4, rerun.trials().size());
        assertEquals(3, rerun.best().orElseThrow().index());
    }

    @Test
    void anotherSearchOrEditedValuesAreRefused(@TempDir Path dir) throws Exception {
        Leaderboard b = Leaderboard.openOrCreate(dir, search(9), SPACE, 9).with(trial(0, TrialStatus.COMPLETED, 0.2));
        b.write(dir, "v");
        String m = assertThrows(IllegalArgumentException.class,
                () -> Leaderboard.openOrCreate(dir, search(10), SPACE, 10)).getMessage();
        assertTrue(m.contains("leaderboard.json") && m.contains("another search"), m);
        Path f = dir.resolve(Leaderboard.JSON_NAME);
        String text = Files.readString(f);
        double lr = SPACE.sample(9, 0).get("l_r");
        Files.writeString(f, text.replace(Double.toString(lr), Double.toString(lr * 2)));
        m = assertThrows(IllegalArgumentException.class, () -> Leaderboard.openOrCreate(dir, search(9), SPACE, 9))
                .getMessage();
        assertTrue(m.contains("trial 0") && m.contains("does not draw"), m);
        Files.writeString(f, "{\"formatVersion\": 1, \"trials\": [");
        m = assertThrows(IllegalArgumentException.class, () -> Leaderboard.openOrCreate(dir, search(9), SPACE, 9))
                .getMessage();
        assertTrue(m.contains("cannot read the leaderboard"), m);
    }
}
