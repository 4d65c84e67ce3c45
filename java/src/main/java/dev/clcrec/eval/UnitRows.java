package dev.clcrec.eval;

/** L2 normalisation of a run of floats, shared by the content spaces (ContentVectors, ProfileEvidence). */
final class UnitRows {
    private UnitRows() {}

    /**
     * Scales {@code v[from..to)} to unit length: the norm summed in double, its inverse (with a floor
     * of 1e-12, as the engine's normalisation) taken once in float and multiplied in.
     */
    static void normalise(float[] v, int from, int to) {
        double norm = 0;
        for (int c = from; c < to; c++) {
            norm += (double) v[c] * v[c];
        }
        float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
        for (int c = from; c < to; c++) {
            v[c] *= inv;
        }
    }
}
