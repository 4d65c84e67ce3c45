package dev.clcrec.data.prepare;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** Content features for items named by external id, one or more modalities. */
public interface ItemContent {
    List<String> modalityNames();

    long dim(int modality);

    boolean has(String itemId);

    /** Writes the item's features for {@code modality} into {@code row} ({@code dim} floats). */
    void fill(int modality, String itemId, MemorySegment row);
}
