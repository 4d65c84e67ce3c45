package dev.clcrec.state;

import java.util.Objects;

/**
 * One thing a user did with an item, as recorded while serving.
 *
 * @param timestamp the caller's time of the interaction (seconds or milliseconds since the epoch, as
 *                  the caller's data uses; kept as given and used only to order interactions)
 */
public record Interaction(String user, String item, long timestamp) {
    public Interaction {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(item, "item");
    }
}
