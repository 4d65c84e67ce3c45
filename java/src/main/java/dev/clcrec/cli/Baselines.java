package dev.clcrec.cli;

/** Which baselines a report evaluates next to the model. */
enum Baselines {
    /** None. */
    NONE,
    /** Those that need no training: content-kNN, content-profile, random (what the demo shows). */
    UNTRAINED,
    /** Those, plus the id-only collaborative model trained with the model's own flags (train --baselines). */
    ALL
}
