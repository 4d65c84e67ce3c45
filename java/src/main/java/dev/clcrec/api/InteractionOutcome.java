package dev.clcrec.api;

/**
 * What became of one entry of {@link Recommender#recordInteractions}.
 *
 * @param index    the entry's position in the call
 * @param recorded whether it was recorded (durably, when the Recommender has a state directory)
 * @param error    why not: {@code unknown_item} (the item is not in the catalog), or null
 * @param message  a readable reason, or null
 */
public record InteractionOutcome(int index, boolean recorded, String error, String message) {
    static InteractionOutcome ok(int index) {
        return new InteractionOutcome(index, true, null, null);
    }
}
