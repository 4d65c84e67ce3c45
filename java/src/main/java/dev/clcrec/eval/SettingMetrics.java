package dev.clcrec.eval;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.util.SortedMap;

/**
 * The metrics of one split in one setting.
 *
 * @param usersCounted users with at least one held-out item there (the average's denominator)
 * @param atK metrics per cutoff K
 */
public record SettingMetrics(Split split, Setting setting, long usersCounted, SortedMap<Integer, MetricValues> atK) {
    public MetricValues at(int k) {
        MetricValues v = atK.get(k);
        if (v == null) {
            throw new IllegalArgumentException("K=" + k + " was not evaluated; cutoffs: " + atK.keySet());
        }
        return v;
    }
}
