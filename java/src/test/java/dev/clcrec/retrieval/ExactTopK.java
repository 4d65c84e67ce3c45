package dev.clcrec.retrieval;

import java.util.function.IntPredicate;

/**
 * The ground truth of the retrieval tests, written independently of the index: every accepted row's
 * plain in-order dot product, the top {@code k} by score, ties to the lower row.
 */
final class ExactTopK {
    private ExactTopK() {}

    static int[] top(float[][] rows, int count, float[] q, int k, IntPredicate accept) {
        int[] top = new int[k];
        float[] best = new float[k];
        int n = 0;
        for (int r = 0; r < count; r++) {
            if (accept != null && !accept.test(r)) {
                continue;
            }
            float s = dot(q, rows[r]);
            if (n == k && !(s > best[k - 1])) {
                continue;
            }
            int pos = n == k ? k - 1 : n++;
            while (pos > 0 && s > best[pos - 1]) {
                best[pos] = best[pos - 1];
                top[pos] = top[pos - 1];
                pos--;
            }
            best[pos] = s;
            top[pos] = r;
        }
        return java.util.Arrays.copyOf(top, n);
    }

    static float dot(float[] a, float[] b) {
        float s = 0f;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** |truth and got| / |truth| (1 when truth is empty and got is too). */
    static double recall(int[] truth, int[] got) {
        if (truth.length == 0) {
            return got.length == 0 ? 1 : 0;
        }
        int hit = 0;
        for (int t : truth) {
            for (int g : got) {
                if (g == t) {
                    hit++;
                    break;
                }
            }
        }
        return hit / (double) truth.length;
    }
}
