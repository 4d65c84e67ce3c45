package dev.clcrec.data.npy;

/** The numpy dtypes the dataset formats use (little-endian or byte-sized only). */
public enum NpyDtype {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT64("<i8", 8),
    INT32("<i4", 4),
    BOOL("|b1", 1),
    /** Python objects: the data after the header is a pickle. */
    OBJECT("|O", 0);

    private final String descr;
    private final int itemSize;

    NpyDtype(String descr, int itemSize) {
        this.descr = descr;
        this.itemSize = itemSize;
    }

    /** numpy's {@code descr} string, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element; 0 for {@link #OBJECT}. */
    public int itemSize() {
        return itemSize;
    }

    /** The dtype for a descr, or null when unsupported. {@code =} and {@code |} prefixes are accepted for size-1 types. */
    public static NpyDtype fromDescr(String descr) {
        for (NpyDtype d : values()) {
            if (d.descr.equals(descr)) {
                return d;
            }
        }
        return switch (descr) {
            case "<b1", "=b1", "?" -> BOOL;
            case "O", "<O", "=O", "|O8", "<O8" -> OBJECT;
            default -> null;
        };
    }
}
