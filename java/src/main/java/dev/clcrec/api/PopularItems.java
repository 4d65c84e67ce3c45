package dev.clcrec.api;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The fallback for a user with no interaction at all: the catalog's items by how many interactions
 * they have (training interactions of the model's items plus those recorded while serving), ties
 * to the lower dense id. The ranking is computed over the whole catalog at most once per
 * {@value #REFRESH_NANOS} ns and only when something changed, so a burst of unknown users costs
 * one scan; between refreshes a removed item is skipped, an added one waits for the next refresh.
 */
final class PopularItems {
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final int KEEP = 1000;

    private final int[] modelCounts;                        // by model item (dense id)
    private final Map<String, Integer> recorded = new HashMap<>(); // guarded by this
    private long changes;                                   // guarded by this
    private volatile Ranking ranking;

    /** The most popular rows of a catalog, best first, with their interaction counts. */
    record Ranking(Catalog catalog, long changes, long computedAt, int[] rows, int[] counts) {}

    PopularItems(ServingModel m) {
        modelCounts = new int[m.numItem];
        for (int item : m.train.columns()) {
            modelCounts[item]++;
        }
    }

    synchronized void record(String item) {
        recorded.merge(item, 1, Integer::sum);
        changes++;
    }

    /** The most popular rows of {@code c}, best first; at least {@code k} when the catalog has them. */
    Ranking ranking(Catalog c, int k) {
        Ranking r = ranking;
        long now = System.nanoTime();
        boolean stale = r == null || r.catalog.store != c.store || r.rows.length < Math.min(k, c.liveCount())
                || ((r.catalog != c || r.changes != changes()) && now - r.computedAt > REFRESH_NANOS);
        if (stale) {
            r = compute(c, Math.max(KEEP, k), now);
            ranking = r;
        }
        return r;
    }

    private synchronized long changes() {
        return changes;
    }

    /**
     * Counts every live row and keeps the top {@code keep}. Rows follow dense ids (model items in order,
     * then added items in the order they came; compaction keeps the order), so sorting one primitive
     * key per row, (count descending, row ascending), is the (count, dense id) order.
     */
    private Ranking compute(Catalog c, int keep, long now) {
        long seen;
        int[] counts = new int[c.size];
        synchronized (this) {
            seen = changes;
            for (int i = 0; i < modelCounts.length; i++) {
                int row = c.store.rowOfModelItem[i];
                if (row >= 0 && row < c.size) {
                    counts[row] = modelCounts[i];
                }
            }
            recorded.forEach((id, n) -> {
                int row = c.rowOf(id);
                if (row >= 0) {
                    counts[row] += n;
                }
            });
        }
        long[] keys = new long[c.size];
        int m = 0;
        for (int row = 0; row < c.size; row++) {
            if (c.alive(row)) {
                keys[m++] = ((long) (Integer.MAX_VALUE - counts[row]) << 32) | row;
            }
        }
        Arrays.sort(keys, 0, m);
        int n = Math.min(keep, m);
        int[] top = new int[n];
        int[] topCounts = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = (int) keys[i];
            topCounts[i] = counts[top[i]];
        }
        return new Ranking(c, seen, now, top, topCounts);
    }
}
