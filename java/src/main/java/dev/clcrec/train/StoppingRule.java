package dev.clcrec.train;

/**
 * The reference's model selection: keep the epoch with the best value of the selection criterion
 * (the reference's is validation Recall@K, all setting; see {@code --select-on}) and stop at the
 * {@code patience}-th consecutive epoch without a strictly better one (7 in the reference). Mutable;
 * owned by one training loop.
 */
public final class StoppingRule {
    private final int patience;
    private double bestRecall;
    private long bestEpoch;
    private int epochsWithoutImprovement;

    public StoppingRule(int patience) {
        this(patience, Double.NEGATIVE_INFINITY, -1, 0);
    }

    /** Restores the state saved with a checkpoint. */
    public StoppingRule(int patience, double bestRecall, long bestEpoch, int epochsWithoutImprovement) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.patience = patience;
        this.bestRecall = bestRecall;
        this.bestEpoch = bestEpoch;
        this.epochsWithoutImprovement = epochsWithoutImprovement;
    }

    /** Records an epoch's selection value; true when it is a new best. */
    public boolean record(long epoch, double value) {
        if (value > bestRecall) {
            bestRecall = value;
            bestEpoch = epoch;
            epochsWithoutImprovement = 0;
            return true;
        }
        epochsWithoutImprovement++;
        return false;
    }

    /** Counts the epochs without improvement from zero again (after the step size was lowered). */
    public void restartPatience() {
        epochsWithoutImprovement = 0;
    }

    public boolean shouldStop() {
        return epochsWithoutImprovement >= patience;
    }

    public int patience() { return patience; }
    /** Best selection value so far (the name is the reference's, whose criterion is a recall). */
    public double bestRecall() { return bestRecall; }
    /** Best epoch so far, -1 before the first. */
    public long bestEpoch() { return bestEpoch; }
    public int epochsWithoutImprovement() { return epochsWithoutImprovement; }
}
