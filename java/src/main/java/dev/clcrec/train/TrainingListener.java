package dev.clcrec.train;

/** Receives training progress; the CLI draws a progress bar and writes logs from it. */
public interface TrainingListener {
    /** After each step: {@code batch} of {@code batches} in the epoch, running mean loss of the epoch. */
    default void onStep(long epoch, long batch, long batches, long pairsDone, double runningLoss) {}

    /** Evaluation of an epoch is starting (the progress bar can say so). */
    default void onEvaluating(long epoch) {}

    /** An epoch finished and was evaluated; {@code improved}: it is the new best. */
    default void onEpoch(EpochRecord record, boolean improved) {}

    TrainingListener NONE = new TrainingListener() {};
}
