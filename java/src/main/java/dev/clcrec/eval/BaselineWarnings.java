package dev.clcrec.eval;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Says where a baseline beats the trained model: one line per baseline and setting (all, warm,
 * cold) of the test split in which the baseline's Recall@K or NDCG@K is higher than the model's
 * at some evaluated K. Test metrics only report here; they never choose anything. A baseline
 * winning means the model, with these flags, does not yet use what the baseline uses (the
 * content for the content baselines, the interactions for the id-only one).
 */
public final class BaselineWarnings {
    private BaselineWarnings() {}

    public static List<String> of(String modelName, EvalResult model, Map<String, EvalResult> baselines) {
        List<String> lines = new ArrayList<>();
        for (var b : baselines.entrySet()) {
            for (SettingMetrics theirs : b.getValue().entries()) {
                if (theirs.split() != Split.TEST) {
                    continue;
                }
                SettingMetrics ours = find(model, theirs.split(), theirs.setting());
                if (ours == null) {
                    continue;
                }
                List<String> beaten = new ArrayList<>();
                for (int k : theirs.atK().keySet()) {
                    if (!ours.atK().containsKey(k)) {
                        continue;
                    }
                    MetricValues o = ours.at(k);
                    MetricValues t = theirs.at(k);
                    if (t.recall() > o.recall()) {
                        beaten.add(String.format(Locale.ROOT, "Recall@%d %.4f vs %.4f", k, t.recall(), o.recall()));
                    }
                    if (t.ndcg() > o.ndcg()) {
                        beaten.add(String.format(Locale.ROOT, "NDCG@%d %.4f vs %.4f", k, t.ndcg(), o.ndcg()));
                    }
                }
                if (!beaten.isEmpty()) {
                    lines.add("warning: " + b.getKey() + " beats " + modelName + " on test "
                            + theirs.setting().name().toLowerCase(Locale.ROOT) + " items: "
                            + String.join(", ", beaten));
                }
            }
        }
        return lines;
    }

    private static SettingMetrics find(EvalResult r, Split split, Setting setting) {
        for (SettingMetrics m : r.entries()) {
            if (m.split() == split && m.setting() == setting) {
                return m;
            }
        }
        return null;
    }
}
