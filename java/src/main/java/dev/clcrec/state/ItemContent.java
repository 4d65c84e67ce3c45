package dev.clcrec.state;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An item added at runtime as the journal keeps it: its id and raw content (modality name to
 * vector, in name order) plus word ids when the model uses word-level text. Content rather than an
 * embedding, so that any model (a reload, a retrain) can encode it again.
 */
public record ItemContent(String id, Map<String, float[]> features, int[] words) {
    public ItemContent {
        Objects.requireNonNull(id, "id");
        features = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(features, "features")));
        words = words == null ? null : words.clone();
    }

    @Override
    public int[] words() {
        return words == null ? null : words.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemContent c && id.equals(c.id) && Arrays.equals(words, c.words)
                && features.keySet().equals(c.features.keySet())
                && features.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), c.features.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
