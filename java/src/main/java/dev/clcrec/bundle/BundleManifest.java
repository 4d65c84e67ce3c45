package dev.clcrec.bundle;

import java.util.List;

/**
 * What {@code manifest.json} of a model bundle says: the format and its version, the model's sizes,
 * its content modalities (in the order the encoder concatenates them) and every file with its
 * size and SHA-256. Serialised with Jackson (snake_case names).
 *
 * @param modelVersion a short fingerprint of the checkpoint, reported by the server's metrics
 * @param normalisation how the engine normalises content before encoding (stateless: nothing to store)
 * @param contentFusion how much content evidence the model fuses into cold items' scores; null (and in
 *                      version 1 bundles, absent) when none
 */
public record BundleManifest(String format, int formatVersion, String modelVersion, String created, String dataset,
                             long numUser, long numItem, long numWarmItem, int dimE, List<Modality> modalities,
                             WordText wordText, String normalisation, List<FileEntry> files,
                             ContentFusion contentFusion) {
    public static final String FORMAT = "clcrec-bundle";
    /** Version 2 added content_fusion: a build that reads only version 1 would serve without it. */
    public static final int VERSION = 2;
    /** The oldest version this build reads (version 1 bundles have no content fusion). */
    public static final int OLDEST_READABLE_VERSION = 1;
    public static final String NORMALISATION =
            "each modality L2-normalised per row (eps 1e-12) by the engine, then concatenated in the listed order";

    /** One content modality: its name (v, a, t, ...), width and the float32 matrix file. */
    public record Modality(String name, long width, String file) {}

    /** Word-level text: the (2, count) int64 word-pair file and the size of the word table. */
    public record WordText(String file, long numWords) {}

    /**
     * Content evidence on cold items (dev.clcrec.eval.FusionCalibration): per user, over the model's own
     * cold items, its standardised content-profile scores times {@code weight} added to its standardised
     * model scores, mapped back to the model's cold scores.
     *
     * @param weight   the evidence's weight, chosen on validation after training (finite, above 0)
     * @param evidence what the evidence is: {@value #PROFILE} (each user's mean item vector in
     *                 dev.clcrec.eval.ProfileEvidence's space: columns weighted by inverse document
     *                 frequency over the bundle's items, each modality L2-normalised, concatenated,
     *                 normalised, centred on the items' mean and normalised again)
     */
    public record ContentFusion(double weight, String evidence) {
        public static final String PROFILE = "idf-centred-content-profile";
    }

    /** A file of the bundle, with its byte size and SHA-256 (lower-case hex). */
    public record FileEntry(String name, long bytes, String sha256) {}
}
