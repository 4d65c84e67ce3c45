package dev.clcrec.eval;

import java.lang.foreign.MemorySegment;

/**
 * Ranks all items for a block of users under several item masks at once; the contract of
 * {@code clcrec_model_top_k} in clcrec.h (the trained model implements it natively, the content
 * baseline in Java): {@code users} int64 x numUsers; per-user excluded items as a CSR
 * ({@code excludeOffsets} numUsers+1 int64 from 0, {@code excludeItems} int64); {@code itemMasks}
 * numMasks x numItem bytes, nonzero = excluded; output numMasks x numUsers x k int64 item ids, best
 * first, ties to the lower id, tail filled with -1.
 */
@FunctionalInterface
public interface Ranker {
    void topK(MemorySegment users, long numUsers, MemorySegment excludeOffsets, MemorySegment excludeItems,
              MemorySegment itemMasks, int numMasks, long k, MemorySegment outItems);
}
