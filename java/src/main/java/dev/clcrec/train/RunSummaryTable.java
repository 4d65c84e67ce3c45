package dev.clcrec.train;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.Metric;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/** Renders a {@link RunSummary} as a text table of mean ± std (the CLI prints it). */
public final class RunSummaryTable {
    private RunSummaryTable() {}

    public static String of(String title, RunSummary s) {
        SortedSet<Integer> ks = new TreeSet<>();
        for (String key : s.stats().keySet()) {
            ks.add(Integer.parseInt(key.substring(key.lastIndexOf('@') + 1)));
        }
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isEmpty()) {
            sb.append(title).append('\n');
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-5s %-5s", "split", "items"));
        for (int k : ks) {
            for (Metric m : Metric.values()) {
                header.append(String.format(Locale.ROOT, "  %-17s", m.label() + "@" + k));
            }
        }
        sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Split split : Split.values()) {
            for (Setting setting : Setting.values()) {
                String prefix = split.name().toLowerCase(Locale.ROOT) + "_" + setting.name().toLowerCase(Locale.ROOT);
                if (!s.stats().containsKey(prefix + "_recall@" + ks.first())) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "%-5s %-5s", split.name().toLowerCase(Locale.ROOT),
                        setting.name().toLowerCase(Locale.ROOT)));
                for (int k : ks) {
                    for (Metric m : Metric.values()) {
                        RunSummary.Stat st = s.get(prefix + "_" + m.key() + "@" + k);
                        sb.append(String.format(Locale.ROOT, "  %-17s",
                                String.format(Locale.ROOT, "%.5f±%.5f", st.mean(), st.std())));
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
