package dev.clcrec.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a user did while serving: the items of their recorded interactions in order (repeats kept),
 * and, for a user the model never saw, the embedding folded in from them, with the model and the
 * positive items it was fitted on (it is fitted again when either changes: a new interaction, a
 * removed or re-added item, a reload). Immutable.
 */
record UserHistory(String id, List<String> items, float[] vector, ServingModel fittedFor, List<String> fittedOn) {
    static UserHistory empty(String id) {
        return new UserHistory(id, List.of(), null, null, List.of());
    }

    UserHistory plus(List<String> more) {
        List<String> all = new ArrayList<>(items.size() + more.size());
        all.addAll(items);
        all.addAll(more);
        return new UserHistory(id, Collections.unmodifiableList(all), null, null, List.of());
    }

    UserHistory withVector(float[] v, ServingModel model, List<String> positives) {
        return new UserHistory(id, items, v, model, positives);
    }
}
