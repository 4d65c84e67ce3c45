package dev.clcrec.train;

/** Receives training progress; the CLI draws a progress bar and writes logs from it. */
public interface TrainingListener {
    /** After each step: {@code batch} of {@code batches} in the epoch, running mean loss of the epoch. */
    default void onStep(long epoch, long batch, long batches, long pairsDone, double runningLoss) {}

    /** Evaluation of an epoch is starting (the progress bar can say so). */
    default void onEvaluating(long epoch) {}

    /** An epoch finished and was evaluated; {@code improved}: it is the new best. */
    default void onEpoch(EpochRecord record, boolean improved) {}

    /**
     * After {@code epoch} the step size was lowered to {@code stepSize} ({@link LearningRateDecay}),
     * from the weights of {@code restoredEpoch} (or in place: -1).
     */
    default void onStepSizeLowered(long epoch, double stepSize, long restoredEpoch) {}

    /**
     * After {@link #onEpoch}: a reason to stop training now (the search's early stopping of poor
     * trials), or null to go on. {@code bestValue} is the best selection value so far.
     */
    default String stopAfter(EpochRecord record, double bestValue) {
        return null;
    }

    TrainingListener NONE = new TrainingListener() {};
}
