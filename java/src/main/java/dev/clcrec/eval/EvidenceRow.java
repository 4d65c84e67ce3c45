package dev.clcrec.eval;

/**
 * One item in {@link ProfileEvidence}'s space, as it is stored and scored: the non-zero columns and
 * values of its weighted unit vector {@code w} before centring, and {@code 1 / |w - mean|}. Its
 * vector in the space is {@code (w - mean) * inverseNorm}; {@link EvidenceProfile#score} takes the dot
 * product without building it. Not to be modified.
 *
 * @param columns     ascending column indices of the non-zero values
 * @param values      the values at those columns
 * @param inverseNorm the inverse of the centred vector's length
 */
public record EvidenceRow(int[] columns, float[] values, float inverseNorm) {
    public EvidenceRow {
        if (columns.length != values.length) {
            throw new IllegalArgumentException(columns.length + " columns for " + values.length + " values");
        }
    }
}
