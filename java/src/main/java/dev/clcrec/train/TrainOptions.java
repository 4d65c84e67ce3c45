package dev.clcrec.train;

import java.nio.file.Path;

/**
 * How long to train and where checkpoints go.
 *
 * @param numEpoch most epochs in total (counting those before a resume)
 * @param patience epochs without a better validation recall before stopping (reference: 7)
 * @param selectionK the K of the validation Recall@K used for model selection (reference: topK)
 * @param bestCheckpoint where the best model is saved (null: not saved)
 * @param lastCheckpoint where the model is saved after every epoch, for resuming (null: not saved)
 * @param maxSeconds no new epoch starts after this much training time (0: no limit)
 */
public record TrainOptions(int numEpoch, int patience, int selectionK, Path bestCheckpoint, Path lastCheckpoint,
                           double maxSeconds) {
    public TrainOptions {
        if (numEpoch < 0) {
            throw new IllegalArgumentException("num_epoch must be >= 0, got " + numEpoch);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (selectionK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + selectionK);
        }
        if (!(maxSeconds >= 0)) {
            throw new IllegalArgumentException("time limit must be >= 0 seconds, got " + maxSeconds);
        }
    }
}
