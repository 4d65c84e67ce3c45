package dev.clcrec.eval;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.util.Locale;

/**
 * What "best" means for model selection: one metric at one cutoff in one split and setting, higher
 * is better. Written {@code SPLIT:SETTING:METRIC@K}, e.g. {@code val:cold:ndcg@20}; the reference
 * selects on {@code val:all:recall@10}.
 */
public record SelectionCriterion(Split split, Setting setting, Metric metric, int k) {
    public SelectionCriterion {
        if (split == null || setting == null || metric == null) {
            throw new IllegalArgumentException("selection criterion needs a split, a setting and a metric");
        }
        if (k < 1) {
            throw new IllegalArgumentException("selection cutoff K must be >= 1, got " + k);
        }
    }

    /** The reference's rule at cutoff {@code k}: validation Recall@k over all items. */
    public static SelectionCriterion reference(int k) {
        return new SelectionCriterion(Split.VAL, Setting.ALL, Metric.RECALL, k);
    }

    /**
     * Parses {@code SPLIT:SETTING:METRIC@K} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the part that is wrong and what is allowed
     */
    public static SelectionCriterion parse(String text) {
        String t = text == null ? "" : text.trim();
        String[] parts = t.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not SPLIT:SETTING:METRIC@K (e.g. val:cold:ndcg@20)");
        }
        Split split = parseEnum(Split.class, parts[0], "split", text);
        Setting setting = parseEnum(Setting.class, parts[1], "setting", text);
        int at = parts[2].indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("'" + text + "': the metric needs a cutoff, e.g. recall@10");
        }
        Metric metric = Metric.parse(parts[2].substring(0, at));
        if (metric == null) {
            throw new IllegalArgumentException("'" + text + "': unknown metric '" + parts[2].substring(0, at)
                    + "' (use precision, recall, ndcg or hit)");
        }
        int k;
        try {
            k = Integer.parseInt(parts[2].substring(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': cutoff '" + parts[2].substring(at + 1)
                    + "' is not a whole number");
        }
        if (k < 1) {
            throw new IllegalArgumentException("'" + text + "': cutoff K must be >= 1, got " + k);
        }
        return new SelectionCriterion(split, setting, metric, k);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String what, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("'" + text + "': unknown " + what + " '" + value + "' (use " + allowed + ")");
    }

    /** This criterion's value in an evaluation. */
    public double value(EvalResult r) {
        return r.get(split, setting).at(k).get(metric);
    }

    /** For people: "val cold NDCG@20". */
    public String describe() {
        return split.name().toLowerCase(Locale.ROOT) + " " + setting.name().toLowerCase(Locale.ROOT) + " "
                + metric.label() + "@" + k;
    }

    /** The flag's own syntax, which {@link #parse} reads back: "val:cold:ndcg@20". */
    @Override
    public String toString() {
        return split.name().toLowerCase(Locale.ROOT) + ":" + setting.name().toLowerCase(Locale.ROOT) + ":"
                + metric.key() + "@" + k;
    }
}
