package dev.clcrec.data.prepare;

/** How prepare divides interactions into train, validation and test. */
public enum SplitMode {
    /** The paper's protocol (the default): a seeded random share of items cold, interactions at random. */
    RANDOM,
    /** By timestamp: train on the oldest, validate and test on the newest ({@link TimeSplitter}). */
    TIME
}
