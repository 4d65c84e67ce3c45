package dev.clcrec.data.prepare;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Rating threshold, item availability, deduplication and the iterative minimum-count filter, then
 * renumbering of the surviving users and items in the order of their external ids.
 */
public final class Filtering {
    private static final System.Logger LOG = System.getLogger(Filtering.class.getName());

    private Filtering() {}

    /**
     * Distinct pairs over compact ids; {@code userNames[u]} / {@code itemNames[i]} are the external ids;
     * {@code times[k]} is the earliest timestamp pair k was logged with ({@link RawLog#NO_TIME} if none).
     */
    public record Result(int[] users, int[] items, long[] times, String[] userNames, String[] itemNames,
                         int[] itemSource, long duplicates, long belowThreshold, long withoutContent) {}

    /**
     * @param itemHasContent raw item id -> whether content features exist for it
     */
    public static Result apply(RawLog log, double ratingThreshold, int minUser, int minItem,
                               IntPredicate itemHasContent) {
        int n = log.size();
        long[] keys = new long[n];
        long[] keyTimes = new long[n];
        int m = 0;
        long below = 0;
        long noContent = 0;
        for (int k = 0; k < n; k++) {
            if (!Double.isNaN(ratingThreshold) && !(log.rating(k) >= ratingThreshold)) {
                below++;
                continue;
            }
            if (!itemHasContent.test(log.item(k))) {
                noContent++;
                continue;
            }
            keyTimes[m] = log.timestamp(k);
            keys[m++] = ((long) log.user(k) << 32) | log.item(k);
        }
        long[] sorted = Arrays.copyOf(keys, m);
        Arrays.sort(sorted);
        int d = 0;
        for (int k = 0; k < m; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                sorted[d++] = sorted[k];
            }
        }
        long duplicates = m - d;
        // A repeated pair counts from its first time: a time split must not see it "new" later.
        long[] pairTimes = new long[d];
        Arrays.fill(pairTimes, RawLog.NO_TIME);
        for (int k = 0; k < m; k++) {
            int at = Arrays.binarySearch(sorted, 0, d, keys[k]);
            long t = keyTimes[k];
            if (t != RawLog.NO_TIME && (pairTimes[at] == RawLog.NO_TIME || t < pairTimes[at])) {
                pairTimes[at] = t;
            }
        }
        if (duplicates > 0) {
            LOG.log(System.Logger.Level.WARNING, "dropped {0} duplicate (user, item) interaction(s)", duplicates);
        }
        if (noContent > 0) {
            LOG.log(System.Logger.Level.WARNING, "dropped {0} interaction(s) with items that have no content features",
                    noContent);
        }
        int numU = log.userNames().size();
        int numI = log.itemNames().size();
        boolean[] alive = new boolean[d];
        Arrays.fill(alive, true);
        boolean changed = true;
        while (changed) {
            changed = false;
            int[] cu = new int[numU];
            int[] ci = new int[numI];
            for (int k = 0; k < d; k++) {
                if (alive[k]) {
                    cu[(int) (sorted[k] >>> 32)]++;
                    ci[(int) sorted[k]]++;
                }
            }
            for (int k = 0; k < d; k++) {
                if (alive[k] && (cu[(int) (sorted[k] >>> 32)] < minUser || ci[(int) sorted[k]] < minItem)) {
                    alive[k] = false;
                    changed = true;
                }
            }
        }
        int[] userMap = renumber(log.userNames(), sorted, alive, true);
        int[] itemMap = renumber(log.itemNames(), sorted, alive, false);
        String[] userNames = names(log.userNames(), userMap);
        String[] itemNames = names(log.itemNames(), itemMap);
        int[] itemSource = new int[itemNames.length];
        for (int raw = 0; raw < itemMap.length; raw++) {
            if (itemMap[raw] >= 0) {
                itemSource[itemMap[raw]] = raw;
            }
        }
        int live = 0;
        for (boolean a : alive) {
            live += a ? 1 : 0;
        }
        int[] us = new int[live];
        int[] is = new int[live];
        long[] ts = new long[live];
        int p = 0;
        for (int k = 0; k < d; k++) {
            if (alive[k]) {
                us[p] = userMap[(int) (sorted[k] >>> 32)];
                is[p] = itemMap[(int) sorted[k]];
                ts[p] = pairTimes[k];
                p++;
            }
        }
        return new Result(us, is, ts, userNames, itemNames, itemSource, duplicates, below, noContent);
    }

    /** Raw id -> compact id in order of external id (numeric when all ids are integers), or -1. */
    private static int[] renumber(List<String> names, long[] pairs, boolean[] alive, boolean user) {
        boolean[] present = new boolean[names.size()];
        for (int k = 0; k < pairs.length && k < alive.length; k++) {
            if (alive[k]) {
                present[user ? (int) (pairs[k] >>> 32) : (int) pairs[k]] = true;
            }
        }
        Integer[] order = new Integer[names.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        boolean numeric = names.stream().allMatch(s -> s.matches("-?\\d{1,18}"));
        Arrays.sort(order, numeric
                ? (a, b) -> Long.compare(Long.parseLong(names.get(a)), Long.parseLong(names.get(b)))
                : (a, b) -> names.get(a).compareTo(names.get(b)));
        int[] map = new int[names.size()];
        Arrays.fill(map, -1);
        int next = 0;
        for (int raw : order) {
            if (present[raw]) {
                map[raw] = next++;
            }
        }
        return map;
    }

    private static String[] names(List<String> names, int[] map) {
        int count = 0;
        for (int v : map) {
            count += v >= 0 ? 1 : 0;
        }
        String[] out = new String[count];
        for (int raw = 0; raw < map.length; raw++) {
            if (map[raw] >= 0) {
                out[map[raw]] = names.get(raw);
            }
        }
        return out;
    }
}
