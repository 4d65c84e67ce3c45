package dev.clcrec.train;

import dev.clcrec.eval.SelectionCriterion;
import java.nio.file.Path;

/**
 * How long to train, how the best epoch is chosen, and where checkpoints go.
 *
 * @param numEpoch most epochs in total (counting those before a resume)
 * @param patience epochs without a better selection value before stopping (reference: 7)
 * @param selection what "best" means: model selection, the stopping rule and the best checkpoint
 *                  all follow it (reference: validation Recall@topK over all items)
 * @param bestCheckpoint where the best model is saved (null: not saved)
 * @param lastCheckpoint where the model is saved after every epoch, for resuming (null: not saved)
 * @param maxSeconds no new epoch starts after this much training time (0: no limit)
 * @param decay how the step size is lowered when the selection value stops improving
 *              ({@link LearningRateDecay#NONE}: never, as in the reference)
 */
public record TrainOptions(int numEpoch, int patience, SelectionCriterion selection, Path bestCheckpoint,
                           Path lastCheckpoint, double maxSeconds, LearningRateDecay decay) {
    public TrainOptions {
        if (numEpoch < 0) {
            throw new IllegalArgumentException("num_epoch must be >= 0, got " + numEpoch);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (selection == null) {
            throw new IllegalArgumentException("no selection criterion given");
        }
        if (!(maxSeconds >= 0)) {
            throw new IllegalArgumentException("time limit must be >= 0 seconds, got " + maxSeconds);
        }
        if (decay == null) {
            throw new IllegalArgumentException("no learning-rate decay given (LearningRateDecay.NONE for none)");
        }
    }

    /** Without a learning-rate decay, as the reference. */
    public TrainOptions(int numEpoch, int patience, SelectionCriterion selection, Path bestCheckpoint,
                        Path lastCheckpoint, double maxSeconds) {
        this(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, maxSeconds, LearningRateDecay.NONE);
    }

    /** The reference's selection: validation Recall@{@code selectionK} over all items. */
    public TrainOptions(int numEpoch, int patience, int selectionK, Path bestCheckpoint, Path lastCheckpoint,
                        double maxSeconds) {
        this(numEpoch, patience, referenceK(selectionK), bestCheckpoint, lastCheckpoint, maxSeconds);
    }

    private static SelectionCriterion referenceK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + k);
        }
        return SelectionCriterion.reference(k);
    }

    /** The cutoff of the selection metric. */
    public int selectionK() {
        return selection.k();
    }

    public TrainOptions withSelection(SelectionCriterion s) {
        return new TrainOptions(numEpoch, patience, s, bestCheckpoint, lastCheckpoint, maxSeconds, decay);
    }

    public TrainOptions withCheckpoints(Path best, Path last) {
        return new TrainOptions(numEpoch, patience, selection, best, last, maxSeconds, decay);
    }

    public TrainOptions withMaxSeconds(double seconds) {
        return new TrainOptions(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, seconds, decay);
    }

    public TrainOptions withDecay(LearningRateDecay d) {
        return new TrainOptions(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, maxSeconds, d);
    }
}
