package dev.clcrec.api;

/** Which items a recommendation may contain. */
public enum ItemFilter {
    /** Every item. */
    ALL,
    /** Only items that had interactions at training time. */
    WARM,
    /** Only cold-start items (no interactions at training time). */
    COLD
}
