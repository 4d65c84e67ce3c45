package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.MetricValues;
import dev.clcrec.eval.SettingMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrainingStateTest {
    static EvalResult eval(double recall) {
        TreeMap<Integer, MetricValues> m = new TreeMap<>();
        m.put(10, new MetricValues(0.1, recall, 0.3, 0.6));
        m.put(20, new MetricValues(0.05, recall * 1.5, 0.35, 0.7));
        return new EvalResult(List.of(new SettingMetrics(Split.VAL, Setting.ALL, 12, m),
                new SettingMetrics(Split.TEST, Setting.COLD, 7, m)));
    }

    @Test
    void jsonRoundTripsExactly() {
        EpochRecord r = new EpochRecord(0, 1.25, 1.0, 2.0, 0.5, 0.9, 17, 3.5, 0.1, 3.2, 0.7, eval(0.123456789));
        TrainingState s = new TrainingState(TrainingState.FORMAT_VERSION, 1, "seed=1", 0.123456789, 0, 0, 68, List.of(r), "val:cold:ndcg@20");
        assertEquals(s, TrainingState.fromJson(s.toJson(), Path.of("m.ckpt")));
    }

    @Test
    void aDecayedRunRoundTripsAndAnOlderStateHasNoDecays() {
        TrainingState s = new TrainingState(TrainingState.FORMAT_VERSION, 0, "k", 0, 0, 0, 0, List.of(), null, 2);
        assertEquals(2, TrainingState.fromJson(s.toJson(), Path.of("m.ckpt")).lrDecays());
        String older = new String(new TrainingState(TrainingState.FORMAT_VERSION, 0, "k", 0, 0, 0, 0, List.of(), null)
                .toJson(), StandardCharsets.UTF_8).replaceAll(",\\s*\"lrDecays\"\\s*:\\s*0", "");
        assertFalse(older.contains("lrDecays"), older);
        assertEquals(0, TrainingState.fromJson(older.getBytes(StandardCharsets.UTF_8), Path.of("m.ckpt")).lrDecays());
    }

    @Test
    void unknownFormatIsRefused() {
        byte[] json = new TrainingState(99, 0, "k", 0, 0, 0, 0, List.of(), null).toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingState.fromJson(json, Path.of("m.ckpt")));
        assertTrue(e.getMessage().contains("format 99") && e.getMessage().contains("m.ckpt"), e.getMessage());
    }

    @Test
    void inconsistentOrGarbledStateIsRefusedNamingTheCheckpoint() {
        byte[] ahead = new TrainingState(TrainingState.FORMAT_VERSION, 5, "k", 0, 0, 0, 0, List.of(), null).toJson();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingState.fromJson(ahead, Path.of("a.ckpt")))
                .getMessage().contains("a.ckpt"));
        byte[] garbled = "{\"formatVersion\": 1, \"nextEpoch\": [".getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingState.fromJson(garbled, Path.of("b.ckpt")))
                .getMessage().contains("b.ckpt"));
    }
}
