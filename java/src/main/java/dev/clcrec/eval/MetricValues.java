package dev.clcrec.eval;

/** Precision, Recall and NDCG at one cutoff, averaged over the users counted. */
public record MetricValues(double precision, double recall, double ndcg) {}
