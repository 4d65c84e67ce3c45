package dev.clcrec.eval;

/**
 * A user's profile in {@link ProfileEvidence}'s space (the mean of its items' vectors) with its dot
 * product with the space's mean, which every score subtracts. Not to be modified.
 *
 * @param vector  the profile, one value per column of the space
 * @param dotMean {@code vector . mean}
 */
public record EvidenceProfile(float[] vector, double dotMean) {

    /** The evidence for an item: the profile's dot product with the item's vector in the space. */
    public float score(EvidenceRow item) {
        return score(item.columns(), item.values(), 0, item.columns().length, item.inverseNorm());
    }

    // The one formula the evaluator and the server both score by, so they agree to the bit.
    float score(int[] columns, float[] values, int from, int to, float inverseNorm) {
        double s = 0;
        for (int q = from; q < to; q++) {
            s += (double) vector[columns[q]] * values[q];
        }
        return (float) ((s - dotMean) * inverseNorm);
    }
}
