package dev.clcrec.train;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.MetricValues;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Renders results as a fixed-width text table (the CLI prints it; the library only builds it). */
public final class ResultsTable {
    private ResultsTable() {}

    /** One row per split and setting, columns Precision/Recall/NDCG/Hit at every K. */
    public static String of(String title, EvalResult r) {
        Map<String, EvalResult> one = new LinkedHashMap<>();
        one.put("", r);
        return compare(title, one);
    }

    /** Several rankers side by side: one row per (ranker, split, setting). */
    public static String compare(String title, Map<String, EvalResult> results) {
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isEmpty()) {
            sb.append(title).append('\n');
        }
        EvalResult first = results.values().iterator().next();
        var ks = first.entries().getFirst().atK().keySet();
        int nameWidth = Math.max(6, results.keySet().stream().mapToInt(String::length).max().orElse(0));
        boolean named = results.size() > 1 || !results.keySet().iterator().next().isEmpty();
        StringBuilder header = new StringBuilder();
        if (named) {
            header.append(pad("model", nameWidth)).append("  ");
        }
        header.append(String.format(Locale.ROOT, "%-5s %-5s %6s", "split", "items", "users"));
        for (int k : ks) {
            header.append(String.format(Locale.ROOT, "  %9s %9s %9s %9s", "P@" + k, "R@" + k, "NDCG@" + k, "Hit@" + k));
        }
        sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Map.Entry<String, EvalResult> e : results.entrySet()) {
            for (Split split : Split.values()) {
                for (Setting setting : Setting.values()) {
                    var m = e.getValue().entries().stream()
                            .filter(x -> x.split() == split && x.setting() == setting).findFirst();
                    if (m.isEmpty()) {
                        continue;
                    }
                    if (named) {
                        sb.append(pad(e.getKey(), nameWidth)).append("  ");
                    }
                    sb.append(String.format(Locale.ROOT, "%-5s %-5s %6d", split.name().toLowerCase(Locale.ROOT),
                            setting.name().toLowerCase(Locale.ROOT), m.get().usersCounted()));
                    for (int k : ks) {
                        MetricValues v = m.get().at(k);
                        sb.append(String.format(Locale.ROOT, "  %9.5f %9.5f %9.5f %9.5f", v.precision(), v.recall(), v.ndcg(),
                                v.hit()));
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
