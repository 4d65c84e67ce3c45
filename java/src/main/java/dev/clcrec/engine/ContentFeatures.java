package dev.clcrec.engine;

import java.util.List;

/** Item content: modality matrices in v, a, t order, and optional word pairs. */
public record ContentFeatures(List<FeatureMatrix> modalities, WordPairs words /* nullable */) {}
