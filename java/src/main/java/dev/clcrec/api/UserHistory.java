package dev.clcrec.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a user did while serving: the items of their recorded interactions in order (repeats kept),
 * and, for a user the model never saw, the embedding folded in from them with the model it was fitted
 * for. Immutable; a new interaction replaces the user's history with a longer one and drops the
 * embedding, which is fitted again on the next use.
 */
record UserHistory(String id, List<String> items, float[] vector, ServingModel fittedFor) {
    static UserHistory empty(String id) {
        return new UserHistory(id, List.of(), null, null);
    }

    UserHistory plus(List<String> more) {
        List<String> all = new ArrayList<>(items.size() + more.size());
        all.addAll(items);
        all.addAll(more);
        return new UserHistory(id, Collections.unmodifiableList(all), null, null);
    }

    UserHistory withVector(float[] v, ServingModel model) {
        return new UserHistory(id, items, v, model);
    }
}
