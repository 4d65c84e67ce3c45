package dev.clcrec.sampling;

/**
 * How training batches are drawn.
 *
 * @param batchSize training pairs per batch (the last batch of an epoch may be smaller)
 * @param numNeg negatives per pair
 * @param numSample fraction of a batch's rows whose U-I candidate is the encoder output
 * @param seed seed of every random stream
 * @param numWorkers threads filling batches ahead of the training step (0: fill on the caller)
 * @param referenceNegatives also keep the user's validation and test items out of the negatives,
 *     as the authors' code does
 * @param hybridGroups draw whole groups (a pair's positive and all its negatives) as hybrid rows
 *     instead of single rows drawn with replacement, as the reference does
 */
public record SamplingConfig(int batchSize, int numNeg, double numSample, long seed, int numWorkers,
                             boolean referenceNegatives, boolean hybridGroups) {
    /** The reference's hybrid rows: single rows drawn with replacement. */
    public SamplingConfig(int batchSize, int numNeg, double numSample, long seed, int numWorkers,
                          boolean referenceNegatives) {
        this(batchSize, numNeg, numSample, seed, numWorkers, referenceNegatives, false);
    }

    public SamplingConfig {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size must be > 0, got " + batchSize);
        }
        if (numNeg < 0) {
            throw new IllegalArgumentException("num_neg must be >= 0, got " + numNeg);
        }
        if (!(numSample >= 0 && numSample <= 1)) {
            throw new IllegalArgumentException("num_sample must be in [0, 1], got " + numSample);
        }
        if (numWorkers < 0) {
            throw new IllegalArgumentException("num_workers must be >= 0, got " + numWorkers);
        }
    }

    public SamplingConfig withNumSample(double v) {
        return new SamplingConfig(batchSize, numNeg, v, seed, numWorkers, referenceNegatives, hybridGroups);
    }

    public SamplingConfig withNumNeg(int v) {
        return new SamplingConfig(batchSize, v, numSample, seed, numWorkers, referenceNegatives, hybridGroups);
    }

    public SamplingConfig withSeed(long v) {
        return new SamplingConfig(batchSize, numNeg, numSample, v, numWorkers, referenceNegatives, hybridGroups);
    }

    /** Rows of one group: the positive and its negatives. */
    public int groupSize() {
        return 1 + numNeg;
    }

    /**
     * Most hybrid rows of a batch of {@code rows} rows: floor(rows * num_sample), as the reference
     * draws them; whole groups give floor(pairs * num_sample) groups, never more rows than that.
     */
    public long hybridCount(long rows) {
        return (long) Math.floor(rows * numSample);
    }

    /** Groups drawn whole as hybrid rows in a batch of {@code pairs} pairs (with {@link #hybridGroups}). */
    public int hybridGroupCount(int pairs) {
        return (int) Math.floor(pairs * numSample);
    }
}
