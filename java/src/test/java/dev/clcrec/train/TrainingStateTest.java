package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.MetricValues;
import dev.clcrec.eval.SettingMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingStateTest {
    static EvalResult eval(double recall) {
        TreeMap<Integer, MetricValues> m = new TreeMap<>();
        m.put(10, new MetricValues(0.1, recall, 0.3, 0.6));
        m.put(20, new MetricValues(0.05, recall * 1.5, 0.35, 0.7));
        return new EvalResult(List.of(new SettingMetrics(Split.VAL, Setting.ALL, 12, m),
                new SettingMetrics(Split.TEST, Setting.COLD, 7, m)));
    }

    @Test
    void sidecarRoundTripsExactly(@TempDir Path dir) {
        EpochRecord r = new EpochRecord(3, 1.25, 1.0, 2.0, 0.5, 0.9, 17, 3.5, 0.1, 3.2, 0.7, eval(0.123456789));
        TrainingState s = new TrainingState(TrainingState.FORMAT_VERSION, 4, "seed=1", 0.123456789, 3, 0, 68, List.of(r),
                "val:cold:ndcg@20");
        Path ckpt = dir.resolve("model.ckpt");
        assertNull(TrainingState.readFor(ckpt));
        s.writeFor(ckpt);
        assertTrue(Files.exists(dir.resolve("model.ckpt.state.json")));
        assertEquals(s, TrainingState.readFor(ckpt));
    }

    @Test
    void unknownFormatIsRefused(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("m.ckpt");
        new TrainingState(99, 1, "k", 0, 0, 0, 0, List.of(), null).writeFor(ckpt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingState.readFor(ckpt));
        assertTrue(e.getMessage().contains("format 99"), e.getMessage());
    }
}
