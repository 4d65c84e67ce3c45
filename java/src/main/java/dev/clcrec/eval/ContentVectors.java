package dev.clcrec.eval;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import java.lang.foreign.ValueLayout;

/**
 * Raw content as one unit vector per item, for the content-only baselines: each modality
 * L2-normalised per row (as the model's input), concatenated, then normalised again so a dot
 * product is a cosine similarity. Word-level text is not used (it has no raw vector).
 *
 * @param values numItem x width, row-major; not to be modified
 */
record ContentVectors(float[] values, int numItem, int width) {

    /** Every item's unit vector, from the content's feature matrices (rows in dense-id order). */
    static ContentVectors of(ContentFeatures content) {
        if (content.modalities().isEmpty()) {
            throw new IllegalArgumentException("the content baselines need at least one feature matrix");
        }
        int numItem = Math.toIntExact(content.rows());
        int width = Math.toIntExact(content.modalities().stream().mapToLong(FeatureMatrix::cols).sum());
        float[] items = new float[Math.multiplyExact(numItem, width)];
        float[][] parts = new float[content.modalities().size()][];
        for (int j = 0; j < numItem; j++) {
            for (int m = 0; m < parts.length; m++) {
                FeatureMatrix f = content.modalities().get(m);
                int d = Math.toIntExact(f.cols());
                parts[m] = f.data().asSlice((long) j * d * Float.BYTES, (long) d * Float.BYTES)
                        .toArray(ValueLayout.JAVA_FLOAT);
            }
            unitInto(parts, items, j * width);
        }
        return new ContentVectors(items, numItem, width);
    }

    private static void unitInto(float[][] modalities, float[] out, int offset) {
        int col = offset;
        for (float[] m : modalities) {
            System.arraycopy(m, 0, out, col, m.length);
            UnitRows.normalise(out, col, col + m.length);
            col += m.length;
        }
        UnitRows.normalise(out, offset, col);
    }

    /**
     * The mean of the given items' unit vectors (a user's content profile), summed in the order given:
     * the content-profile baseline's user vector.
     */
    float[] profile(int[] items, int from, int to) {
        float[] p = new float[width];
        int len = to - from;
        for (int i = from; i < to; i++) {
            int o = items[i] * width;
            for (int c = 0; c < width; c++) {
                p[c] += values[o + c] / len;
            }
        }
        return p;
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
