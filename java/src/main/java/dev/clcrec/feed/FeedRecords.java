package dev.clcrec.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.IdRules;
import dev.clcrec.state.Interaction;
import dev.clcrec.state.ItemContent;
import dev.clcrec.state.StateEvent;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON values of the feed topics, turned into the journal's events.
 *
 * <p>Items topic (key: the item id; one partition keeps every replica's catalog in the same order):
 * {@code {"op": "add", "id": "i9", "features": {"v": [..]}, "words": [..]}} or
 * {@code {"op": "remove", "id": "i9"}}. Interactions topic (key: the user id):
 * {@code {"user": "u1", "item": "i9", "timestamp": 1700000000}}. A value that is not one of these is
 * refused with {@link IllegalArgumentException} naming the field; the consumer skips it and counts it.
 */
final class FeedRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedRecords() {}

    static StateEvent item(byte[] value) {
        JsonNode n = parse(value);
        String op = text(n, "op");
        String id = id(n, "id");
        return switch (op) {
            case "add" -> new StateEvent.ItemsAdded(List.of(new ItemContent(id, features(n), words(n))));
            case "remove" -> new StateEvent.ItemsRemoved(List.of(id));
            default -> throw new IllegalArgumentException("op: '" + op + "' is neither add nor remove");
        };
    }

    static Interaction interaction(byte[] value) {
        JsonNode n = parse(value);
        JsonNode t = n.get("timestamp");
        if (t == null || !t.isIntegralNumber() || !t.canConvertToLong()) {
            throw new IllegalArgumentException("timestamp: an integer is required");
        }
        return new Interaction(id(n, "user"), text(n, "item"), t.longValue());
    }

    private static JsonNode parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value: empty");
        }
        try {
            JsonNode n = JSON.readTree(value);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("value: not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("value: malformed JSON");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": a non-empty string is required");
        }
        return v.asText();
    }

    /** An id that can be added, read and deleted (see {@link IdRules}). */
    private static String id(JsonNode n, String field) {
        String id = text(n, field);
        if (!IdRules.isValid(id)) {
            throw new IllegalArgumentException(field + ": '" + id + "' breaks the id rules (1-" + IdRules.MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ ~ : @ -, starting with a letter or digit)");
        }
        return id;
    }

    private static Map<String, float[]> features(JsonNode n) {
        JsonNode f = n.get("features");
        if (f == null || !f.isObject()) {
            throw new IllegalArgumentException("features: an object of modality name to number array is required");
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), numbers(e.getValue(), "features." + e.getKey()));
        }
        return out;
    }

    private static float[] numbers(JsonNode array, String field) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(field + ": an array of numbers is required");
        }
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new IllegalArgumentException(field + "[" + i + "]: not a number");
            }
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    private static int[] words(JsonNode n) {
        JsonNode w = n.get("words");
        if (w == null || w.isNull()) {
            return null;
        }
        if (!w.isArray()) {
            throw new IllegalArgumentException("words: an array of word ids is required");
        }
        int[] out = new int[w.size()];
        for (int i = 0; i < out.length; i++) {
            if (!w.get(i).isIntegralNumber() || !w.get(i).canConvertToInt()) {
                throw new IllegalArgumentException("words[" + i + "]: not an integer word id");
            }
            out[i] = w.get(i).intValue();
        }
        return out;
    }
}
