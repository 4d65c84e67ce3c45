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

    private Ranking compute(Catalog c, int keep, long now) {
        long seen;
        int[] counts = new int[c.size];
        synchronized (this) {
            seen = changes;
            for (int row = 0; row < c.size; row++) {
                int dense = c.dense(row);
                int n = dense < modelCounts.length && c.store.rowOfModelItem[dense] == row ? modelCounts[dense] : 0;
                counts[row] = n + recorded.getOrDefault(c.id(row), 0);
            }
        }
        Integer[] rows = new Integer[c.size];
        int m = 0;
        for (int row = 0; row < c.size; row++) {
            if (c.alive(row)) {
                rows[m++] = row;
            }
        }
        Integer[] live = Arrays.copyOf(rows, m);
        Arrays.sort(live, (a, b) -> counts[a] != counts[b] ? Integer.compare(counts[b], counts[a])
                : Integer.compare(c.dense(a), c.dense(b)));
        int n = Math.min(keep, live.length);
        int[] top = new int[n];
        int[] topCounts = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = live[i];
            topCounts[i] = counts[live[i]];
        }
        return new Ranking(c, seen, now, top, topCounts);
    }
}
