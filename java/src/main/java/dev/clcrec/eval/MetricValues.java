package dev.clcrec.eval;

/**
 * Precision, Recall, NDCG and Hit at one cutoff, averaged over the users counted.
 *
 * @param hit share of users with at least one held-out item in their top K
 */
public record MetricValues(double precision, double recall, double ndcg, double hit) {
    /** The value of one metric. */
    public double get(Metric metric) {
        return switch (metric) {
            case PRECISION -> precision;
            case RECALL -> recall;
            case NDCG -> ndcg;
            case HIT -> hit;
        };
    }
}
