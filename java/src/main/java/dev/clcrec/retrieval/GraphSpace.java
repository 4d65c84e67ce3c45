package dev.clcrec.retrieval;

/**
 * How the inner-product (MIPS) problem is put on Lucene's HNSW graph. Both keep the query-to-item
 * ordering exactly that of {@code query . item}: every query-to-item similarity below is a strictly
 * increasing function of the dot product for a fixed query, so the graph search ranks candidates the
 * way CLCRec does; they differ only in the item-to-item similarity the graph is built with.
 *
 * <p>Measured on the clustered 86,506-item catalog (dim 64, M 16, beam 100, 1,000 users, BENCHMARKS.md):
 * recall@10 at efSearch 100 was 0.996 with {@link #MAX_INNER_PRODUCT} and 0.787 with
 * {@link #NORM_AUGMENTED} (0.833 at 150). The transform puts every item near the pole of the extra
 * axis (most norms are well below the largest), so item-to-item cosines hardly tell items apart while
 * queries live orthogonally to that axis; the default is therefore Lucene's inner product, the
 * transform stays available for catalogs whose norms are nearly equal.
 */
public enum GraphSpace {
    /**
     * Lucene's own {@code MAXIMUM_INNER_PRODUCT}: the raw dot product, scaled into a positive score
     * ({@code 1/(1-dot)} below zero, {@code dot+1} above). Inner product is not a metric: an item is
     * not its own best match, and large-norm items become hubs of the graph.
     */
    MAX_INNER_PRODUCT,
    /**
     * The exact MIPS-to-cosine reduction of Bachrach et al. (2014, "Speeding up the Xbox recommender
     * system using a Euclidean transformation for inner-product spaces"): with {@code N} the largest
     * item norm of the graph, an item {@code x} becomes the unit vector
     * {@code (x / N, sqrt(1 - |x|^2 / N^2))} and a query {@code q} becomes {@code (q / |q|, 0)}, so
     * their dot product is {@code q . x / (N |q|)}: for a fixed query, the same order as
     * {@code q . x}. Item-to-item similarity is then a true cosine, which is what HNSW's neighbour
     * selection assumes. The extra coordinate is never stored: it is derived from the row's norm.
     * An item added to a graph after {@code N} was fixed with a larger norm gets the extra coordinate
     * 0 (its query scores stay exact; only its links are chosen with a slightly bent geometry) until
     * the next full rebuild recomputes {@code N}.
     */
    NORM_AUGMENTED
}
