package dev.clcrec.retrieval;

import java.io.IOException;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * One published HNSW graph: its nodes (graph ordinals {@code 0..size()-1}) are rows of
 * {@link RowVectors} listed in {@code ordToRow}; rows from {@code coveredEnd} on were added after it was
 * built and are the exact tail. Immutable once published: the graph is never added to again (the next
 * generation is built beside it), which is what lets searches run on it without locks.
 */
final class GraphGeneration {
    /** The graph, or null when it has no node. */
    final OnHeapHnswGraph graph;
    final int[] ordToRow;
    /** The first row not considered when this generation was built. */
    final int coveredEnd;
    /** Nodes whose rows were already removed when this generation was built. */
    final int removedNodes;
    /** The index's count of graph-row removals read before this generation was built (see {@code mergeDue}). */
    final int removalsBase;
    final Scores scores;

    GraphGeneration(OnHeapHnswGraph graph, int[] ordToRow, int coveredEnd, int removedNodes, int removalsBase,
                    Scores scores) {
        this.graph = graph;
        this.ordToRow = ordToRow;
        this.coveredEnd = coveredEnd;
        this.removedNodes = removedNodes;
        this.removalsBase = removalsBase;
        this.scores = scores;
    }

    static GraphGeneration empty(RowVectors vectors, GraphSpace space) {
        return new GraphGeneration(null, new int[0], 0, 0, 0, new Scores(vectors, space, new int[0], 0f));
    }

    int size() {
        return ordToRow.length;
    }

    /**
     * The similarities a graph over {@code ordToRow} is built and searched with (see {@link GraphSpace}).
     * Item-to-item for the builder through {@link #scorer()}, query-to-item through {@link #forQuery}.
     */
    static final class Scores implements RandomVectorScorerSupplier {
        private final RowVectors vectors;
        private final GraphSpace space;
        private final int[] ordToRow;
        /** NORM_AUGMENTED: {@code 1 / N^2} and each ordinal's extra coordinate {@code sqrt(1 - |x|^2/N^2)}. */
        final float maxNorm;
        private final float invMaxNormSq;
        private final float[] extra;

        Scores(RowVectors vectors, GraphSpace space, int[] ordToRow, float maxNorm) {
            this.vectors = vectors;
            this.space = space;
            this.ordToRow = ordToRow;
            this.maxNorm = maxNorm;
            if (space == GraphSpace.NORM_AUGMENTED) {
                this.invMaxNormSq = maxNorm > 0f ? 1f / (maxNorm * maxNorm) : 0f;
                this.extra = new float[ordToRow.length];
                for (int ord = 0; ord < ordToRow.length; ord++) {
                    float rest = 1f - vectors.squaredNorm(ordToRow[ord]) * invMaxNormSq;
                    extra[ord] = rest > 0f ? (float) Math.sqrt(rest) : 0f;
                }
            } else {
                this.invMaxNormSq = 0f;
                this.extra = null;
            }
        }

        private float itemItem(int a, int b) {
            float dot = VectorUtil.dotProduct(vectors.vector(ordToRow[a]), vectors.vector(ordToRow[b]));
            if (space == GraphSpace.MAX_INNER_PRODUCT) {
                return VectorUtil.scaleMaxInnerProductScore(dot);
            }
            // cosine of two unit vectors, mapped to [0, 1] as Lucene's DOT_PRODUCT does
            return Math.max((1f + dot * invMaxNormSq + extra[a] * extra[b]) / 2f, 0f);
        }

        /** A scorer of every ordinal against {@code query} (length {@code dim}), the exact transform applied. */
        RandomVectorScorer forQuery(float[] query) {
            float qNorm = (float) Math.sqrt(VectorUtil.dotProduct(query, query));
            float scale = space == GraphSpace.NORM_AUGMENTED && qNorm > 0f && maxNorm > 0f ? 1f / (qNorm * maxNorm) : 0f;
            int maxOrd = ordToRow.length;
            return new RandomVectorScorer() {
                @Override
                public float score(int ord) {
                    float dot = VectorUtil.dotProduct(query, vectors.vector(ordToRow[ord]));
                    if (space == GraphSpace.MAX_INNER_PRODUCT) {
                        return VectorUtil.scaleMaxInnerProductScore(dot);
                    }
                    return (1f + dot * scale) / 2f; // no clamp: stays strictly increasing in dot
                }

                @Override
                public int maxOrd() {
                    return maxOrd;
                }
            };
        }

        @Override
        public UpdateableRandomVectorScorer scorer() {
            int maxOrd = ordToRow.length;
            return new UpdateableRandomVectorScorer() {
                private int from;

                @Override
                public void setScoringOrdinal(int ord) {
                    from = ord;
                }

                @Override
                public float score(int ord) {
                    return itemItem(from, ord);
                }

                @Override
                public int maxOrd() {
                    return maxOrd;
                }
            };
        }

        @Override
        public RandomVectorScorerSupplier copy() throws IOException {
            return this; // immutable: every scorer() keeps its own scoring ordinal
        }
    }
}
