package dev.clcrec.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.IdRules;
import dev.clcrec.api.NewItem;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the body of {@code POST /v1/items}: {@code {"id": "new-1", "features": {"v": [..], ...},
 * "words": [..]}} ("words" only for models with word-level text). Every problem names its field;
 * widths and finiteness are checked against the model by the catalog itself.
 */
final class ItemRequests {
    private ItemRequests() {}

    static JsonNode parse(ObjectMapper json, byte[] body) {
        try {
            JsonNode n = json.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw ApiError.badRequest("body", "empty body; expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body", "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("body", "cannot read the body: " + e.getMessage());
        }
    }

    static NewItem item(JsonNode root) {
        if (!root.isObject()) {
            throw ApiError.badRequest("body", "expected a JSON object");
        }
        JsonNode id = root.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw ApiError.badRequest("id", "\"id\" must be a non-empty string");
        }
        IdRules.checkItemId(id.asText(), "\"id\""); // before the features: the id's problem is named first
        JsonNode features = root.get("features");
        if (features == null || !features.isObject()) {
            throw ApiError.badRequest("features", "\"features\" must be an object of modality name to number array");
        }
        Map<String, float[]> f = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = features.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "features." + e.getKey();
            JsonNode arr = e.getValue();
            if (!arr.isArray()) {
                throw ApiError.badRequest(field, field + " must be an array of numbers");
            }
            float[] v = new float[arr.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode x = arr.get(i);
                if (!x.isNumber()) {
                    throw ApiError.badRequest(field, field + "[" + i + "] is not a number");
                }
                v[i] = (float) x.doubleValue();
            }
            f.put(e.getKey(), v);
        }
        int[] words = null;
        JsonNode w = root.get("words");
        if (w != null && !w.isNull()) {
            if (!w.isArray()) {
                throw ApiError.badRequest("words", "\"words\" must be an array of word ids");
            }
            words = new int[w.size()];
            for (int i = 0; i < words.length; i++) {
                if (!w.get(i).canConvertToInt() || !w.get(i).isIntegralNumber()) {
                    throw ApiError.badRequest("words", "words[" + i + "] is not an integer word id");
                }
                words[i] = w.get(i).intValue();
            }
        }
        return new NewItem(id.asText(), f, words);
    }
}
