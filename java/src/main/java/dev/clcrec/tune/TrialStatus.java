package dev.clcrec.tune;

/** How a trial ended. */
public enum TrialStatus {
    /** Trained to its stopping rule or num_epoch: its selection value is reproducible by {@code train}. */
    COMPLETED,
    /** Stopped early by successive halving. */
    PRUNED,
    /** Cut by the search's time budget (not reproducible, never chosen). */
    TIME_LIMIT,
    /** Its configuration was refused or its loss went non-finite. */
    FAILED
}
