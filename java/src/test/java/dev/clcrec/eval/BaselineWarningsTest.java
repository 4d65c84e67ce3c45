package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BaselineWarningsTest {
    private static SettingMetrics m(Split split, Setting setting, double recall, double ndcg) {
        TreeMap<Integer, MetricValues> at = new TreeMap<>();
        at.put(20, new MetricValues(0.1, recall, ndcg, 0.5));
        return new SettingMetrics(split, setting, 10, at);
    }

    private static EvalResult result(double valCold, double testWarm, double testCold) {
        List<SettingMetrics> e = new ArrayList<>();
        e.add(m(Split.VAL, Setting.COLD, valCold, valCold));
        e.add(m(Split.TEST, Setting.WARM, testWarm, testWarm));
        e.add(m(Split.TEST, Setting.COLD, testCold, testCold));
        return new EvalResult(e);
    }

    @Test
    void warnsPerBaselineAndTestSettingWhereTheBaselineIsHigher() {
        EvalResult model = result(0.5, 0.30, 0.20);
        EvalResult knn = result(0.9, 0.10, 0.25);          // wins on test cold only (val is not reported)
        List<String> w = BaselineWarnings.of("CLCRec", model, Map.of("content-kNN", knn));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.getFirst().contains("content-kNN beats CLCRec on test cold items"), w.getFirst());
        assertTrue(w.getFirst().contains("Recall@20 0.2500 vs 0.2000"), w.getFirst());
    }

    @Test
    void silentWhenTheModelIsAtLeastAsGoodOrTheSettingIsMissing() {
        EvalResult model = result(0.5, 0.30, 0.20);
        EvalResult warmOnly = new EvalResult(List.of(m(Split.TEST, Setting.WARM, 0.30, 0.10)));
        assertTrue(BaselineWarnings.of("CLCRec", model, Map.of("id-only", warmOnly, "same", model)).isEmpty());
    }
}
