package dev.clcrec.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A brand-new item for {@link Recommender#addItems(java.util.List)}: its external id and its raw
 * content, one vector per modality of the model (same names and widths as in training), plus its
 * word ids when the model uses word-level text.
 *
 * @param features modality name (v, a, t, ...) to raw feature vector; normalised by the engine
 * @param words    word ids (into the model's word table) for word-level text, or null when it has none
 */
public record NewItem(String id, Map<String, float[]> features, int[] words) {
    public NewItem {
        Objects.requireNonNull(id, "id");
        features = Map.copyOf(Objects.requireNonNull(features, "features"));
        words = words == null ? null : words.clone();
    }

    public NewItem(String id, Map<String, float[]> features) {
        this(id, features, null);
    }

    @Override
    public int[] words() {
        return words == null ? null : words.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewItem n && id.equals(n.id) && Arrays.equals(words, n.words)
                && features.keySet().equals(n.features.keySet())
                && features.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), n.features.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
