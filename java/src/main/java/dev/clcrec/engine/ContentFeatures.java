package dev.clcrec.engine;

import java.util.List;
import java.util.Objects;

/**
 * The content of a set of items: modality matrices in v, a, t order (each normalised per row and
 * concatenated by the engine) and optional word-level text. All matrices have one row per item.
 *
 * @param words word-level text, or null for none
 */
public record ContentFeatures(List<FeatureMatrix> modalities, WordPairs words) {
    public ContentFeatures {
        modalities = List.copyOf(Objects.requireNonNull(modalities, "modalities"));
        if (modalities.isEmpty() && words == null) {
            throw new IllegalArgumentException("content needs at least one modality or word-level text");
        }
        for (FeatureMatrix m : modalities) {
            if (m.rows() != modalities.getFirst().rows()) {
                throw new IllegalArgumentException("modality '" + m.name() + "' has " + m.rows() + " rows but '"
                        + modalities.getFirst().name() + "' has " + modalities.getFirst().rows());
            }
        }
    }

    public ContentFeatures(List<FeatureMatrix> modalities) {
        this(modalities, null);
    }

    /** Number of items described, or -1 when only word pairs are given (they do not fix it). */
    public long rows() {
        return modalities.isEmpty() ? -1 : modalities.getFirst().rows();
    }
}
