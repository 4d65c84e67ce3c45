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
 * @param averageDecay 0: each epoch's weights are evaluated, selected and saved, as in the reference;
 *                     in (0, 1): an exponential moving average of the weights over epochs with this
 *                     decay is ({@link WeightAverage}), and {@link #averageCheckpoint()} keeps it for a resume
 */
public record TrainOptions(int numEpoch, int patience, SelectionCriterion selection, Path bestCheckpoint,
                           Path lastCheckpoint, double maxSeconds, LearningRateDecay decay, double averageDecay) {
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
        if (!(averageDecay >= 0 && averageDecay < 1)) {
            throw new IllegalArgumentException("the weight average's decay must be in [0, 1), got " + averageDecay);
        }
    }

    /** Each epoch's own weights, as the reference. */
    public TrainOptions(int numEpoch, int patience, SelectionCriterion selection, Path bestCheckpoint,
                        Path lastCheckpoint, double maxSeconds, LearningRateDecay decay) {
        this(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, maxSeconds, decay, 0);
    }

    /** Whether the weights are averaged over epochs. */
    public boolean averaging() {
        return averageDecay > 0;
    }

    /**
     * Where the weight average is saved beside the last checkpoint ({@code last.ckpt}:
     * {@code last.average.ckpt}), for a resume; null when not averaging or not saving.
     */
    public Path averageCheckpoint() {
        if (!averaging() || lastCheckpoint == null) {
            return null;
        }
        return WeightAverage.fileBeside(lastCheckpoint);
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
        return new TrainOptions(numEpoch, patience, s, bestCheckpoint, lastCheckpoint, maxSeconds, decay, averageDecay);
    }

    public TrainOptions withCheckpoints(Path best, Path last) {
        return new TrainOptions(numEpoch, patience, selection, best, last, maxSeconds, decay, averageDecay);
    }

    public TrainOptions withMaxSeconds(double seconds) {
        return new TrainOptions(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, seconds, decay, averageDecay);
    }

    public TrainOptions withAverageDecay(double d) {
        return new TrainOptions(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, maxSeconds, decay, d);
    }

    public TrainOptions withDecay(LearningRateDecay d) {
        return new TrainOptions(numEpoch, patience, selection, bestCheckpoint, lastCheckpoint, maxSeconds, d, averageDecay);
    }
}
