package dev.clcrec.eval;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.util.List;

/** Metrics for every split and setting evaluated, in split then setting order. */
public record EvalResult(List<SettingMetrics> entries) {
    public EvalResult {
        entries = List.copyOf(entries);
    }

    public SettingMetrics get(Split split, Setting setting) {
        for (SettingMetrics m : entries) {
            if (m.split() == split && m.setting() == setting) {
                return m;
            }
        }
        throw new IllegalArgumentException("no result for " + split + "/" + setting);
    }

    /** The reference's model-selection criterion: validation Recall@K in the all setting. */
    public double selectionRecall(int k) {
        return get(Split.VAL, Setting.ALL).at(k).recall();
    }

    /** The value of a model-selection criterion. */
    public double selectionValue(SelectionCriterion criterion) {
        return criterion.value(this);
    }
}
