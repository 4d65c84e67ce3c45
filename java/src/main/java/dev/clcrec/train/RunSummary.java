package dev.clcrec.train;

import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Metric;
import dev.clcrec.eval.SettingMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mean and standard deviation over repeated runs of every metric at each run's selected epoch,
 * keyed as the per-epoch CSV names its columns ({@code test_cold_recall@10}).
 *
 * @param runs how many runs the statistics are over
 * @param stats per metric key, in split, setting, cutoff, metric order
 */
public record RunSummary(int runs, Map<String, Stat> stats) {
    /**
     * @param std the sample standard deviation (n - 1 in the denominator; 0 for a single run)
     * @param values each run's own value, in run order
     */
    public record Stat(double mean, double std, List<Double> values) {
        public Stat {
            values = List.copyOf(values);
        }
    }

    public RunSummary {
        stats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }

    /** The summary of the given evaluations (one per run, all over the same splits and cutoffs). */
    public static RunSummary of(List<EvalResult> perRun) {
        if (perRun.isEmpty()) {
            throw new IllegalArgumentException("no runs to summarise");
        }
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (EvalResult r : perRun) {
            for (SettingMetrics m : r.entries()) {
                for (int k : m.atK().keySet()) {
                    for (Metric metric : Metric.values()) {
                        values.computeIfAbsent(key(m, metric, k), x -> new ArrayList<>()).add(m.at(k).get(metric));
                    }
                }
            }
        }
        Map<String, Stat> stats = new LinkedHashMap<>();
        values.forEach((key, v) -> {
            if (v.size() != perRun.size()) {
                throw new IllegalArgumentException(key + " is missing from some runs");
            }
            stats.put(key, stat(v));
        });
        return new RunSummary(perRun.size(), stats);
    }

    /** The metric's key: {@code split_setting_metric@k}, lower case. */
    public static String key(SettingMetrics m, Metric metric, int k) {
        return m.split().name().toLowerCase(Locale.ROOT) + "_" + m.setting().name().toLowerCase(Locale.ROOT) + "_"
                + metric.key() + "@" + k;
    }

    public Stat get(String key) {
        Stat s = stats.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no statistic " + key + "; have " + stats.keySet());
        }
        return s;
    }

    static Stat stat(List<Double> v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.size();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double std = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
        return new Stat(mean, std, v);
    }
}
