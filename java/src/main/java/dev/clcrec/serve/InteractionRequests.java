package dev.clcrec.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clcrec.state.Interaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the body of {@code POST /v1/interactions}: {@code {"interactions": [{"user": "u1", "item":
 * "i9", "timestamp": 1700000000}, ...]}}. A missing timestamp is the server's clock in seconds since
 * the epoch. A malformed entry refuses the whole request naming the field
 * ({@code interactions[3].item}); whether each item exists is the catalog's to say, per entry.
 */
final class InteractionRequests {
    static final int MAX_ENTRIES = 10_000;

    private InteractionRequests() {}

    static List<Interaction> interactions(JsonNode root) {
        if (!root.isObject()) {
            throw ApiError.badRequest("body", "expected a JSON object");
        }
        JsonNode list = root.get("interactions");
        if (list == null || !list.isArray()) {
            throw ApiError.badRequest("interactions", "\"interactions\" must be an array of {user, item, timestamp}");
        }
        if (list.isEmpty() || list.size() > MAX_ENTRIES) {
            throw ApiError.badRequest("interactions", "\"interactions\" must hold 1.." + MAX_ENTRIES + " entries, got "
                    + list.size());
        }
        long now = System.currentTimeMillis() / 1000;
        List<Interaction> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String where = "interactions[" + i + "]";
            if (!e.isObject()) {
                throw ApiError.badRequest(where, where + " must be an object");
            }
            String user = text(e, where, "user");
            String item = text(e, where, "item");
            long timestamp = now;
            JsonNode t = e.get("timestamp");
            if (t != null && !t.isNull()) {
                if (!t.isIntegralNumber() || !t.canConvertToLong()) {
                    throw ApiError.badRequest(where + ".timestamp", where + ".timestamp must be an integer");
                }
                timestamp = t.longValue();
            }
            out.add(new Interaction(user, item, timestamp));
        }
        return out;
    }

    private static String text(JsonNode e, String where, String name) {
        JsonNode n = e.get(name);
        String field = where + "." + name;
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw ApiError.badRequest(field, field + " must be a non-empty string");
        }
        return n.asText(); // the user id's rules are the catalog's to check (IdRules), the item must exist
    }
}
