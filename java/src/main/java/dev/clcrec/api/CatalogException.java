package dev.clcrec.api;

/**
 * A catalog change or a request that cannot be served: the kind says why (for callers that map it to a
 * status code), the field says which part of the input is at fault.
 */
public final class CatalogException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why the request was refused. */
    public enum Kind {
        /** The user id is not in the model. */
        UNKNOWN_USER,
        /** The item id is not in the catalog. */
        UNKNOWN_ITEM,
        /** An added item's id is already in the catalog (or repeated in the same request). */
        DUPLICATE_ITEM,
        /** Content features missing, of the wrong width, not finite, or for an unknown modality. */
        BAD_FEATURES,
        /** Any other argument out of range (k, an empty id, ...). */
        BAD_ARGUMENT,
        /** The catalog follows a feed (a replica): changes go to the feed, not to this replica. */
        FOLLOWS_FEED
    }

    private final Kind kind;
    private final String field;

    public CatalogException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The offending field, e.g. {@code features.v}, {@code id}, {@code k}. */
    public String field() {
        return field;
    }
}
