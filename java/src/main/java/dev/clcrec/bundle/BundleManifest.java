package dev.clcrec.bundle;

import java.util.List;

/**
 * What {@code manifest.json} of a model bundle says: the format and its version, the model's sizes,
 * its content modalities (in the order the encoder concatenates them) and every file with its
 * size and SHA-256. Serialised with Jackson (snake_case names).
 *
 * @param modelVersion a short fingerprint of the checkpoint, reported by the server's metrics
 * @param normalisation how the engine normalises content before encoding (stateless: nothing to store)
 */
public record BundleManifest(String format, int formatVersion, String modelVersion, String created, String dataset,
                             long numUser, long numItem, long numWarmItem, int dimE, List<Modality> modalities,
                             WordText wordText, String normalisation, List<FileEntry> files) {
    public static final String FORMAT = "clcrec-bundle";
    public static final int VERSION = 1;
    public static final String NORMALISATION =
            "each modality L2-normalised per row (eps 1e-12) by the engine, then concatenated in the listed order";

    /** One content modality: its name (v, a, t, ...), width and the float32 matrix file. */
    public record Modality(String name, long width, String file) {}

    /** Word-level text: the (2, count) int64 word-pair file and the size of the word table. */
    public record WordText(String file, long numWords) {}

    /** A file of the bundle, with its byte size and SHA-256 (lower-case hex). */
    public record FileEntry(String name, long bytes, String sha256) {}
}
