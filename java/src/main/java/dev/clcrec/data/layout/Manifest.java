package dev.clcrec.data.layout;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** {@code manifest.json} of our dataset layout; see FORMAT.md beside this class. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        @JsonProperty("format") String format,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("name") String name,
        @JsonProperty("num_user") int numUser,
        @JsonProperty("num_item") int numItem,
        @JsonProperty("num_warm_item") int numWarmItem,
        @JsonProperty("interactions") Files interactions,
        @JsonProperty("counts") Counts counts,
        @JsonProperty("modalities") List<Modality> modalities,
        @JsonProperty("words") Words words,
        @JsonProperty("user_ids") String userIds,
        @JsonProperty("item_ids") String itemIds,
        @JsonProperty("source") Map<String, Object> source) {

    public static final String FORMAT = "clcrec-dataset";
    public static final int VERSION = 1;
    public static final String FILE = "manifest.json";

    /** Interaction files: {@code (n, 2)} int32/int64 {@code .npy} or two-column {@code .tsv}, dense ids. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Files(@JsonProperty("train") String train, @JsonProperty("val") String val,
                        @JsonProperty("test") String test) {}

    /** Interaction counts after deduplication, checked on load. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counts(@JsonProperty("train") long train, @JsonProperty("val") long val,
                         @JsonProperty("test") long test) {}

    /** A content modality: float32 {@code (num_item, dim)} {@code .npy}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Modality(@JsonProperty("name") String name, @JsonProperty("file") String file,
                           @JsonProperty("dim") long dim) {}

    /** Optional word-level text: int {@code (2, count)} {@code .npy} of (item, word) pairs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Words(@JsonProperty("file") String file, @JsonProperty("num_words") long numWords) {}
}
