package dev.clcrec.eval;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import java.lang.foreign.ValueLayout;

/**
 * Raw content as one unit vector per item, for the content-only baselines: each modality
 * L2-normalised per row (as the model's input), concatenated, then normalised again so a dot
 * product is a cosine similarity. Word-level text is not used (it has no raw vector).
 */
record ContentVectors(float[] values, int numItem, int width) {

    static ContentVectors of(ContentFeatures content) {
        if (content.modalities().isEmpty()) {
            throw new IllegalArgumentException("the content baselines need at least one feature matrix");
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
        return new ContentVectors(items, numItem, width);
    }

    /** Cosine similarity of items a and b. */
    float cosine(int a, int b) {
        float s = 0;
        int pa = a * width;
        int pb = b * width;
        for (int c = 0; c < width; c++) {
            s += values[pa + c] * values[pb + c];
        }
        return s;
    }
}
