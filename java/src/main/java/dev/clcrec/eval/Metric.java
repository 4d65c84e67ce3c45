package dev.clcrec.eval;

import java.util.Locale;

/** The ranking metrics the evaluator computes at every cutoff. */
public enum Metric {
    PRECISION("precision", "P"),
    RECALL("recall", "R"),
    NDCG("ndcg", "NDCG"),
    HIT("hit", "Hit");

    private final String key;
    private final String label;

    Metric(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** The lower-case name used in flags, CSV columns and JSON ("recall"). */
    public String key() {
        return key;
    }

    /** The short name used in tables ("R" for R@10). */
    public String label() {
        return label;
    }

    /** Parses a metric name, case-insensitive; null when there is none of that name. */
    public static Metric parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.key.equals(n) || m.label.toLowerCase(Locale.ROOT).equals(n)) {
                return m;
            }
        }
        return null;
    }
}
