package dev.clcrec.eval;

import dev.clcrec.engine.ClcrecModel;
import java.lang.foreign.MemorySegment;

/** Ranks with a trained model's native top-K (one call per block, scores computed on its device). */
public record ModelRanker(ClcrecModel model) implements Ranker {
    @Override
    public void topK(MemorySegment users, long numUsers, MemorySegment excludeOffsets, MemorySegment excludeItems,
                     MemorySegment itemMasks, int numMasks, long k, MemorySegment outItems) {
        model.topK(users, numUsers, excludeOffsets, excludeItems, itemMasks, numMasks, k, outItems, null);
    }
}
