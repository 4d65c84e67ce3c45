package dev.clcrec.train;

/** Why training ended. */
public enum StopReason {
    /** The stopping rule's patience ran out. */
    NO_IMPROVEMENT,
    /** num_epoch epochs were trained. */
    EPOCH_LIMIT,
    /** The time limit passed (checked between epochs). */
    TIME_LIMIT,
    /** A step produced a NaN or infinite loss; the parameters are those of the last good step. */
    NON_FINITE_LOSS,
    /** The listener stopped a trial whose selection value fell behind others' (hyper-parameter search). */
    PRUNED
}
