package dev.clcrec.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SelectionCriterionTest {
    @Test
    void parsesAndPrintsTheFlagSyntax() {
        SelectionCriterion c = SelectionCriterion.parse("val:cold:ndcg@20");
        assertEquals(new SelectionCriterion(Split.VAL, Setting.COLD, Metric.NDCG, 20), c);
        assertEquals("val:cold:ndcg@20", c.toString());
        assertEquals(c, SelectionCriterion.parse(c.toString()));
        assertEquals(new SelectionCriterion(Split.TEST, Setting.WARM, Metric.HIT, 5), SelectionCriterion.parse("TEST:Warm:Hit@5"));
        assertEquals(SelectionCriterion.reference(10), SelectionCriterion.parse("val:all:recall@10"));
    }

    @Test
    void badTextNamesThePartThatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:cold"))
                .getMessage().contains("SPLIT:SETTING:METRIC@K"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("train:cold:ndcg@20"))
                .getMessage().contains("unknown split 'train'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:new:ndcg@20"))
                .getMessage().contains("unknown setting 'new'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:cold:map@20"))
                .getMessage().contains("unknown metric 'map'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:cold:ndcg"))
                .getMessage().contains("cutoff"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:cold:ndcg@0"))
                .getMessage().contains(">= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:cold:ndcg@x"))
                .getMessage().contains("not a whole number"));
    }

    @Test
    void valueReadsTheNamedSplitSettingMetricAndCutoff() {
        TreeMap<Integer, MetricValues> a = new TreeMap<>();
        a.put(10, new MetricValues(0.1, 0.2, 0.3, 0.4));
        a.put(20, new MetricValues(0.5, 0.6, 0.7, 0.8));
        TreeMap<Integer, MetricValues> b = new TreeMap<>();
        b.put(10, new MetricValues(0.01, 0.02, 0.03, 0.04));
        b.put(20, new MetricValues(0.05, 0.06, 0.07, 0.08));
        EvalResult r = new EvalResult(List.of(new SettingMetrics(Split.VAL, Setting.COLD, 3, a),
                new SettingMetrics(Split.TEST, Setting.COLD, 3, b)));
        assertEquals(0.7, SelectionCriterion.parse("val:cold:ndcg@20").value(r));
        assertEquals(0.04, SelectionCriterion.parse("test:cold:hit@10").value(r));
        assertEquals(0.5, SelectionCriterion.parse("val:cold:precision@20").value(r));
        assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:cold:ndcg@5").value(r));
        assertThrows(IllegalArgumentException.class, () -> SelectionCriterion.parse("val:warm:ndcg@10").value(r));
    }
}
