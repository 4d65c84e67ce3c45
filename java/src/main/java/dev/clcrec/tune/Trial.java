package dev.clcrec.tune;

import java.util.List;
import java.util.Map;

/**
 * One trial of a search, as the leaderboard keeps it. Validation metrics only: test metrics are
 * never looked at while choosing.
 *
 * @param index the trial's number; its values are drawn from (search seed, index)
 * @param params the searched values, by flag name
 * @param value the best selection value (null when no epoch finished)
 * @param bestEpoch the epoch that reached it (-1 when none)
 * @param epochs epochs trained
 * @param curve the best selection value so far after each epoch (rebuilds the rungs on resume)
 * @param validation every validation metric at the best epoch ({@code val_cold_recall@10}, ...)
 * @param threads the LibTorch threads it trained with (reproduction needs the same)
 */
public record Trial(int index, Map<String, Double> params, TrialStatus status, Double value, long bestEpoch,
                    int epochs, List<Double> curve, Map<String, Double> validation, int threads, double seconds,
                    String message) {
    public Trial {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        curve = List.copyOf(curve);
        validation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validation));
    }
}
