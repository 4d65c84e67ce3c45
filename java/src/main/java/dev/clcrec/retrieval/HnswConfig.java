package dev.clcrec.retrieval;

/**
 * Settings of an {@link HnswIndex}. The defaults are the measured ones of BENCHMARKS.md ("Approximate
 * retrieval"): recall@10 against the exact scan of at least 0.95 on a clustered, low-rank catalog of
 * 86,506 and of 1,000,000 items at dim 64.
 *
 * @param maxConn        HNSW {@code M}: neighbours kept per node above level 0 (twice that on level 0)
 * @param beamWidth      candidates explored while inserting a node ({@code efConstruction})
 * @param efSearch       default candidates kept while searching; at least {@code k} is always used
 * @param tailLimit      rows added since the graph was built that a search still scans exactly; at this
 *                       many, {@link HnswIndex#mergeDue()} says the tail should be merged into the graph
 * @param rebuildRemovedFraction removed rows of the graph, as a fraction of its nodes, from which a merge
 *                       rebuilds the graph from the live rows instead of pruning the removed nodes
 * @param maxVisitFraction a filtered walk's visit limit as a fraction of the graph's nodes (at least the
 *                       candidates it keeps): a search whose filter accepts no more rows than that limit
 *                       (estimated from a sample), or whose walk is expected to visit more, scores the
 *                       accepted rows instead of walking, and a walk that reaches the limit stops and does
 *                       the same: past that point the scan is the cheaper. Unfiltered walks have no limit
 * @param space          how inner product is put on the graph
 * @param seed           seed of the level assignment, so that a build is reproducible
 * @param filteredSearchThreshold Lucene's {@code KnnSearchStrategy.Hnsw} threshold: when the filter (with
 *                       the removed rows) accepts less than this percentage of the graph, Lucene's
 *                       ACORN-style filtered searcher also explores two hops from rejected nodes; 0 never
 * @param oversampleFilters when the filter accepts a fraction {@code s} of the graph, keep
 *                       {@code max(k, efSearch) / s} candidates during the walk instead of
 *                       {@code max(k, efSearch)}, so that as many accepted rows are in reach as without it
 */
public record HnswConfig(int maxConn, int beamWidth, int efSearch, int tailLimit, double rebuildRemovedFraction,
                         double maxVisitFraction, GraphSpace space, long seed, int filteredSearchThreshold,
                         boolean oversampleFilters) {

    /** The measured defaults (see the class comment). */
    public static final HnswConfig DEFAULTS =
            new HnswConfig(16, 100, 100, 2048, 0.25, 0.1, GraphSpace.MAX_INNER_PRODUCT, 42L, 0, true);

    public HnswConfig {
        // Lucene's HnswGraphBuilder caps M at 512 and the beam width at 3200.
        require(maxConn >= 2 && maxConn <= 512, "maxConn", "must be in 2..512, got " + maxConn);
        require(beamWidth >= 1 && beamWidth <= 3200, "beamWidth", "must be in 1..3200, got " + beamWidth);
        require(efSearch >= 1, "efSearch", "must be at least 1, got " + efSearch);
        require(tailLimit >= 0, "tailLimit", "must not be negative, got " + tailLimit);
        require(rebuildRemovedFraction > 0 && rebuildRemovedFraction <= 1, "rebuildRemovedFraction",
                "must be in (0, 1], got " + rebuildRemovedFraction);
        require(maxVisitFraction > 0 && maxVisitFraction <= 1, "maxVisitFraction",
                "must be in (0, 1], got " + maxVisitFraction);
        require(space != null, "space", "must be given");
        require(filteredSearchThreshold >= 0 && filteredSearchThreshold <= 100, "filteredSearchThreshold",
                "must be a percentage in 0..100, got " + filteredSearchThreshold);
    }

    public HnswConfig withEfSearch(int ef) {
        return new HnswConfig(maxConn, beamWidth, ef, tailLimit, rebuildRemovedFraction, maxVisitFraction, space, seed,
                filteredSearchThreshold, oversampleFilters);
    }

    public HnswConfig withGraph(int m, int beam) {
        return new HnswConfig(m, beam, efSearch, tailLimit, rebuildRemovedFraction, maxVisitFraction, space, seed,
                filteredSearchThreshold, oversampleFilters);
    }

    public HnswConfig withTailLimit(int limit) {
        return new HnswConfig(maxConn, beamWidth, efSearch, limit, rebuildRemovedFraction, maxVisitFraction, space, seed,
                filteredSearchThreshold, oversampleFilters);
    }

    public HnswConfig withSpace(GraphSpace s) {
        return new HnswConfig(maxConn, beamWidth, efSearch, tailLimit, rebuildRemovedFraction, maxVisitFraction, s, seed,
                filteredSearchThreshold, oversampleFilters);
    }

    public HnswConfig withFiltering(int threshold, boolean oversample) {
        return new HnswConfig(maxConn, beamWidth, efSearch, tailLimit, rebuildRemovedFraction, maxVisitFraction, space, seed,
                threshold, oversample);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException("HnswConfig." + field + " " + message);
        }
    }
}
