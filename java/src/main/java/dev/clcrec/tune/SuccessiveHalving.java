package dev.clcrec.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asynchronous successive halving (ASHA) as an early-stopping rule: rungs sit at
 * {@code minEpochs * eta^j} epochs; a trial reaching a rung records its best selection value there
 * and goes on only while it ranks in the top {@code 1/eta} (rounded up) of all values recorded at
 * that rung so far. Decisions use what has been recorded when a trial arrives, so with several trials
 * at once they depend on arrival order; one at a time, the search is deterministic.
 *
 * <p>Thread-safe.
 */
public final class SuccessiveHalving {
    private final int minEpochs;
    private final int eta;
    private final Map<Integer, List<Double>> recorded = new TreeMap<>();

    /**
     * @param minEpochs epochs every trial trains before it can be stopped (the first rung), >= 1
     * @param eta reduction factor, >= 2: one in eta trials passes each rung
     */
    public SuccessiveHalving(int minEpochs, int eta) {
        if (minEpochs < 1) {
            throw new IllegalArgumentException("the first rung (min epochs) must be >= 1, got " + minEpochs);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("the reduction factor eta must be >= 2, got " + eta);
        }
        this.minEpochs = minEpochs;
        this.eta = eta;
    }

    /** Whether a trial that has trained {@code epochs} epochs stands at a rung. */
    public boolean isRung(int epochs) {
        if (epochs < minEpochs || epochs % minEpochs != 0) {
            return false;
        }
        long r = epochs / minEpochs;
        while (r % eta == 0) {
            r /= eta;
        }
        return r == 1;
    }

    /**
     * Records a trial's best value after {@code epochs} epochs when that is a rung, and says whether
     * it must stop: a message saying why, or null to go on.
     */
    public synchronized String arrive(int epochs, double bestValue) {
        if (!isRung(epochs)) {
            return null;
        }
        List<Double> at = recorded.computeIfAbsent(epochs, e -> new ArrayList<>());
        at.add(bestValue);
        int n = at.size();
        int keep = (n + eta - 1) / eta;
        long better = at.stream().filter(v -> v > bestValue).count();
        if (better >= keep) {
            return String.format(Locale.ROOT, "stopped by successive halving at epoch %d: %.5f ranks %d of %d at "
                    + "this rung, where the top %d go on", epochs, bestValue, better + 1, n, keep);
        }
        return null;
    }

    /**
     * Replays a finished trial's per-epoch best values (a resumed search rebuilds its rungs from the
     * leaderboard this way), without deciding anything.
     */
    public synchronized void replay(List<Double> bestSoFarPerEpoch) {
        for (int e = 1; e <= bestSoFarPerEpoch.size(); e++) {
            if (isRung(e)) {
                recorded.computeIfAbsent(e, x -> new ArrayList<>()).add(bestSoFarPerEpoch.get(e - 1));
            }
        }
    }
}
