package dev.clcrec.data.prepare;

/** How prepare divides interactions into train, validation and test. */
public enum SplitMode {
    /** The paper's protocol (the default): a seeded random share of items cold, interactions at random. */
    RANDOM,
    /** By timestamp: train on the oldest, validate and test on the newest ({@link TimeSplitter}). */
    TIME,
    /**
     * As {@link #TIME}, but the dataset holds only what existed at the training cut: users and items
     * first seen after it are left out (a model trained on it knows what a service started at the cut
     * would), and every interaction after the cut is written to {@code after-cut/} with the new items'
     * content, to be replayed into a serving process ({@link AfterCutLog}).
     */
    TIME_REPLAY;

    /** Whether the cut is by timestamp. */
    public boolean byTime() {
        return this != RANDOM;
    }
}
