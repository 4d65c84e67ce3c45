package dev.clcrec.serve;

import dev.clcrec.api.Recommender;
import dev.clcrec.api.RetrainOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /v1/admin/retrain} and {@code /v1/admin/rollback}: run one and say what was decided. */
final class RetrainReplies {
    private RetrainReplies() {}

    static RetrainOutcome retrain(Recommender rec) {
        requireState(rec);
        return answer(rec.retrain());
    }

    static RetrainOutcome rollback(Recommender rec) {
        requireState(rec);
        try {
            return answer(rec.rollback());
        } catch (IllegalStateException e) {
            throw new ApiError(409, "nothing_to_roll_back", null, e.getMessage());
        }
    }

    private static void requireState(Recommender rec) {
        if (!rec.canRetrain()) {
            throw new ApiError(409, "no_state", null, "retraining needs a state directory: start serve with --state");
        }
    }

    private static RetrainOutcome answer(RetrainOutcome o) {
        if (o.outcome() == RetrainOutcome.Outcome.BUSY) {
            throw new ApiError(409, "retrain_running", null, o.reason());
        }
        return o;
    }

    /** The JSON body: outcome, reason, versions, gate values (null when not evaluated) and counts. */
    static Map<String, Object> body(RetrainOutcome o, Recommender rec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", o.outcome().label());
        m.put("reason", o.reason());
        m.put("model_version", rec.modelVersion());
        m.put("previous_version", o.servingVersion());
        m.put("candidate_version", o.candidateVersion());
        m.put("criterion", o.criterion());
        m.put("serving_value", Double.isFinite(o.servingValue()) ? o.servingValue() : null);
        m.put("candidate_value", Double.isFinite(o.candidateValue()) ? o.candidateValue() : null);
        m.put("new_interactions", o.newInteractions());
        m.put("holdout_pairs", o.holdoutPairs());
        m.put("new_users", o.newUsers());
        m.put("items_became_warm", o.becameWarm());
        m.put("seconds", o.seconds());
        m.put("bundle", o.bundle() == null ? null : o.bundle().toString());
        return m;
    }
}
