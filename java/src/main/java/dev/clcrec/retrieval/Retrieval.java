package dev.clcrec.retrieval;

import java.util.Locale;

/**
 * How recommendations are retrieved: the exact scan of every item, the {@link HnswIndex}, or the
 * cheaper of the two for the catalog's size. Evaluation always scans exactly, whatever this says.
 */
public enum Retrieval {
    /** {@link #HNSW} from {@link #AUTO_MIN_ROWS} rows on, {@link #EXACT} below. */
    AUTO,
    /** Score every item: exact, linear in the catalog. */
    EXACT,
    /** The approximate graph index with exact re-scoring of its candidates. */
    HNSW;

    /**
     * The catalog size from which {@link #AUTO} uses the graph: measured at dim 64, one thread, on the
     * 2-core development machine (BENCHMARKS.md, "Approximate retrieval"), the graph search with the
     * default {@code efSearch} took a median 0.130 ms against the blocked exact scan's 0.083 ms at 5,000
     * items, and 0.122 ms against 0.231 ms at 10,000 (0.245 against 0.470 at 20,000). Below it the scan is
     * exact and as fast or faster, and an index would only cost memory and build time.
     */
    public static final int AUTO_MIN_ROWS = 10_000;

    /** Whether a catalog of {@code rows} rows is served through the graph index. */
    public boolean usesIndex(int rows) {
        return switch (this) {
            case EXACT -> false;
            case HNSW -> true;
            case AUTO -> rows >= AUTO_MIN_ROWS;
        };
    }

    /**
     * The policy named {@code value} ({@code auto}, {@code exact} or {@code hnsw}, any case).
     *
     * @param what names the setting in the error, e.g. {@code --retrieval}
     * @throws IllegalArgumentException naming {@code what} and the accepted values
     */
    public static Retrieval parse(String value, String what) {
        if (value != null) {
            for (Retrieval r : values()) {
                if (r.name().equalsIgnoreCase(value.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException(what + " must be one of auto, exact, hnsw; got " + value);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
