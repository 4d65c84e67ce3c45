package dev.clcrec.api;

import dev.clcrec.retrieval.HnswConfig;
import dev.clcrec.retrieval.Retrieval;
import java.util.Objects;

/**
 * How a serving {@link Recommender} finds a user's top items: by scoring every item
 * ({@link Retrieval#EXACT}), through an HNSW graph over the items' ranking vectors whose candidates
 * are then scored exactly ({@link Retrieval#HNSW}), or the first below {@link Retrieval#AUTO_MIN_ROWS}
 * live items and the second from there on ({@link Retrieval#AUTO}, the default). Evaluation always
 * scans exactly.
 *
 * <p>The graph is kept in step with the catalog: added items are searched exactly until a background
 * merge links them in, removed ones are filtered during the search, and exclusions and the warm/cold
 * filter are applied during the walk with oversampling. While a graph is being built (after a start
 * with no stored graph, or after a compaction) requests are answered by the exact scan. With a state
 * directory the graph of each model is stored there ({@code DIR/index/}) and loaded on the next start
 * instead of built; a model swap builds (or loads) the new model's graph before it swaps, so requests
 * never fall back to the scan because of a swap.
 *
 * @param mode which of the three
 * @param hnsw the graph's settings (efSearch being the search width: recall against latency)
 */
public record RetrievalOptions(Retrieval mode, HnswConfig hnsw) {
    public static final RetrievalOptions DEFAULTS = new RetrievalOptions(Retrieval.AUTO, HnswConfig.DEFAULTS);

    public RetrievalOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(hnsw, "hnsw");
    }

    public static RetrievalOptions of(Retrieval mode) {
        return new RetrievalOptions(mode, HnswConfig.DEFAULTS);
    }

    /** The same, searching with {@code efSearch} candidates (at least k are always kept). */
    public RetrievalOptions withEfSearch(int efSearch) {
        return new RetrievalOptions(mode, hnsw.withEfSearch(efSearch));
    }
}
