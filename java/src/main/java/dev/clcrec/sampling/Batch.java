package dev.clcrec.sampling;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable off-heap batch in the layout the native training step reads: {@code users} (B int64),
 * {@code items} (B x groupSize int64 local item ids, column 0 the positive) and {@code hybridRows}
 * (int64 indices into the flattened items). Buffers are sized for a full batch once and refilled
 * every time the pipeline hands the batch out; the sizes say how much of them is in use.
 */
public final class Batch {
    private final MemorySegment users;
    private final MemorySegment items;
    private final MemorySegment hybridRows;
    private final int groupSize;
    private long epoch;
    private long index;
    private int size;
    private long numHybrid;

    Batch(Arena arena, SamplingConfig config) {
        this.groupSize = config.groupSize();
        long rows = (long) config.batchSize() * groupSize;
        this.users = arena.allocate(ValueLayout.JAVA_LONG, config.batchSize());
        this.items = arena.allocate(ValueLayout.JAVA_LONG, rows);
        this.hybridRows = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, config.hybridCount(rows)));
    }

    void reset(long epoch, long index, int size, long numHybrid) {
        this.epoch = epoch;
        this.index = index;
        this.size = size;
        this.numHybrid = numHybrid;
    }

    public MemorySegment users() { return users; }
    public MemorySegment items() { return items; }
    public MemorySegment hybridRows() { return hybridRows; }
    public long epoch() { return epoch; }
    /** Position of this batch in its epoch, from 0. */
    public long index() { return index; }
    /** Pairs in this batch (B). */
    public int size() { return size; }
    public int groupSize() { return groupSize; }
    public long numHybrid() { return numHybrid; }

    /** The users as a heap array (for tests and diagnostics; the hot path reads the segment). */
    public long[] usersArray() {
        return users.asSlice(0, size * 8L).toArray(ValueLayout.JAVA_LONG);
    }

    public long[] itemsArray() {
        return items.asSlice(0, (long) size * groupSize * 8L).toArray(ValueLayout.JAVA_LONG);
    }

    public long[] hybridRowsArray() {
        return hybridRows.asSlice(0, numHybrid * 8L).toArray(ValueLayout.JAVA_LONG);
    }
}
