package dev.clcrec.cli;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import java.util.List;

/** Applies --has_v/--has_a/--has_t to a dataset's content (other modality names are always kept). */
final class ContentSelection {
    private ContentSelection() {}

    static ContentFeatures select(ContentFeatures all, boolean hasV, boolean hasA, boolean hasT) {
        List<FeatureMatrix> kept = all.modalities().stream().filter(m -> switch (m.name()) {
            case "v" -> hasV;
            case "a" -> hasA;
            case "t" -> hasT;
            default -> true;
        }).toList();
        var words = hasT ? all.words() : null;
        if (kept.isEmpty() && words == null) {
            throw new IllegalArgumentException("no content features left: the dataset has "
                    + all.modalities().stream().map(FeatureMatrix::name).toList()
                    + (all.words() != null ? " and word-level text" : "")
                    + " and the --has_v/--has_a/--has_t flags turned them all off");
        }
        return new ContentFeatures(kept, words);
    }
}
