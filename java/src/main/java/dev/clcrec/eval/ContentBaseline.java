package dev.clcrec.eval;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.sampling.ItemSets;
import java.lang.foreign.ValueLayout;

/**
 * The content-only baseline: nearest neighbours on raw features. Item vectors are the modalities,
 * each L2-normalised per row as the model's input, concatenated and normalised again; a user's
 * vector is the mean of its training items' vectors, so a score is the mean cosine similarity of an
 * item to the user's training items. Word-level text is not used (it has no raw vector).
 */
public final class ContentBaseline {
    private ContentBaseline() {}

    public static DotProductRanker ranker(ContentFeatures content, ItemSets train) {
        if (content.modalities().isEmpty()) {
            throw new IllegalArgumentException("the content baseline needs at least one feature matrix");
        }
        int numItem = Math.toIntExact(content.rows());
        int width = Math.toIntExact(content.modalities().stream().mapToLong(FeatureMatrix::cols).sum());
        float[] items = new float[Math.multiplyExact(numItem, width)];
        int col = 0;
        for (FeatureMatrix m : content.modalities()) {
            int d = Math.toIntExact(m.cols());
            for (int j = 0; j < numItem; j++) {
                double norm = 0;
                for (int c = 0; c < d; c++) {
                    float v = m.data().getAtIndex(ValueLayout.JAVA_FLOAT, (long) j * d + c);
                    norm += (double) v * v;
                }
                float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
                for (int c = 0; c < d; c++) {
                    items[j * width + col + c] = m.data().getAtIndex(ValueLayout.JAVA_FLOAT, (long) j * d + c) * inv;
                }
            }
            col += d;
        }
        for (int j = 0; j < numItem; j++) {
            double norm = 0;
            for (int c = 0; c < width; c++) {
                norm += (double) items[j * width + c] * items[j * width + c];
            }
            float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
            for (int c = 0; c < width; c++) {
                items[j * width + c] *= inv;
            }
        }
        float[] users = new float[Math.multiplyExact(train.numRows(), width)];
        for (int u = 0; u < train.numRows(); u++) {
            int len = train.rowEnd(u) - train.rowStart(u);
            for (int p = train.rowStart(u); p < train.rowEnd(u); p++) {
                int j = train.columns()[p];
                for (int c = 0; c < width; c++) {
                    users[u * width + c] += items[j * width + c] / len;
                }
            }
        }
        return new DotProductRanker(users, items, width);
    }
}
