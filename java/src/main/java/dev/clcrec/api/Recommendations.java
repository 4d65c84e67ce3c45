package dev.clcrec.api;

import java.util.List;

/**
 * A user's recommendations and what they rest on.
 *
 * @param basis how the list was made: {@link Basis#MODEL} for a user the model was trained with,
 *              {@link Basis#FOLD_IN} for a user folded in from interactions recorded while serving,
 *              {@link Basis#POPULAR} for a user with no interaction at all (the most popular items)
 */
public record Recommendations(String user, Basis basis, String modelVersion, List<Recommendation> items) {
    public Recommendations {
        items = List.copyOf(items);
    }

    /** What a list of recommendations rests on. */
    public enum Basis {
        /** The user's trained embedding. */
        MODEL,
        /** An embedding fitted to the user's recorded interactions with the model's own objective. */
        FOLD_IN,
        /** No interaction known: the items with the most interactions (scores are those counts). */
        POPULAR
    }
}
