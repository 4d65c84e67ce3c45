package dev.clcrec.train;

import java.util.List;

/**
 * The outcome of training.
 *
 * @param best the selected epoch (best validation Recall@K, all setting), null if no epoch finished
 * @param history every epoch, including those before a resume
 * @param message human-readable account of why training stopped
 */
public record TrainingResult(EpochRecord best, List<EpochRecord> history, StopReason reason, String message) {
    public TrainingResult {
        history = List.copyOf(history);
    }
}
