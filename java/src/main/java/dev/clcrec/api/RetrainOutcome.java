package dev.clcrec.api;

import java.nio.file.Path;

/**
 * What one retrain (or rollback) decided, with the gate's values when it got that far.
 *
 * @param outcome          what happened
 * @param reason           why, for people (also logged)
 * @param trigger          what started it: "schedule", "request" or "rollback"
 * @param servingVersion   the model serving when it started
 * @param candidateVersion the candidate's version (null when none was trained)
 * @param criterion        the gate's metric, e.g. "holdout all Recall@10"
 * @param servingValue     the serving model's value on the holdout (NaN when not evaluated)
 * @param candidateValue   the candidate's value on the holdout (NaN when not evaluated)
 * @param newInteractions  interactions recorded and not yet trained on when it started
 * @param holdoutPairs     of those, held out for the gate
 * @param newUsers         users that became model users
 * @param becameWarm       items cold or added at runtime that became warm items
 * @param seconds          wall time of the whole retrain
 * @param bundle           the candidate bundle (in force when swapped, kept aside when refused), or null
 */
public record RetrainOutcome(Outcome outcome, String reason, String trigger, String servingVersion,
                             String candidateVersion, String criterion, double servingValue, double candidateValue,
                             int newInteractions, long holdoutPairs, int newUsers, int becameWarm, double seconds,
                             Path bundle) {
    public enum Outcome {
        /** The candidate passed the gate and serves now. */
        SWAPPED,
        /** The candidate was worse than the serving model by more than the tolerance; kept aside. */
        REFUSED,
        /** Nothing to train on: too few new interactions, or none held out for the gate. */
        SKIPPED,
        /** Another retrain or a rollback was running; nothing was done. */
        BUSY,
        /** Training, the gate or the swap failed; the serving model is unchanged. */
        FAILED,
        /** A rollback put the previous bundle back in force. */
        ROLLED_BACK;

        /** The label value in metrics and JSON. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static RetrainOutcome simple(Outcome o, String reason, String trigger, String servingVersion, double seconds) {
        return new RetrainOutcome(o, reason, trigger, servingVersion, null, null, Double.NaN, Double.NaN, 0, 0, 0, 0,
                seconds, null);
    }
}
