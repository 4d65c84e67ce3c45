package dev.clcrec.retrieval;

/**
 * The caller's exact score of a row for the query being searched: CLCRec's {@code user . item}, computed
 * the way the exact scan computes it, so that the candidates the graph found are ranked by the very
 * numbers an exact search would have produced.
 */
@FunctionalInterface
public interface ExactScorer {
    float score(int row);
}
