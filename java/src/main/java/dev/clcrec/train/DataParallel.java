package dev.clcrec.train;

import dev.clcrec.engine.ProcessGroup;
import dev.clcrec.eval.EvalShard;

/**
 * Where this process stands in data-parallel training: alone, or rank {@code rank} of a process
 * group. Every rank runs the same loop on the same seed; the decisions that could differ between
 * ranks (a wall-clock limit) go through {@link #anyRank}, and only the leader (rank 0) writes files.
 */
public final class DataParallel {
    /** One process, no group. */
    public static final DataParallel SINGLE = new DataParallel(null);

    private final ProcessGroup group;

    private DataParallel(ProcessGroup group) {
        this.group = group;
    }

    /** Training over {@code group} (not owned: the caller closes it after training). */
    public static DataParallel over(ProcessGroup group) {
        return group == null || group.size() == 1 ? SINGLE : new DataParallel(group);
    }

    public boolean distributed() {
        return group != null;
    }

    /** The group, or null for a single process. */
    public ProcessGroup group() {
        return group;
    }

    public int rank() {
        return group == null ? 0 : group.rank();
    }

    public int size() {
        return group == null ? 1 : group.size();
    }

    /** Rank 0, the one that writes checkpoints and results. */
    public boolean leader() {
        return rank() == 0;
    }

    /** True on every rank when it is true on any (a collective: all ranks must call it). */
    public boolean anyRank(boolean value) {
        if (group == null) {
            return value;
        }
        double[] v = {value ? 1 : 0};
        group.allReduceSum(v);
        return v[0] > 0;
    }

    /** Waits for every rank (a collective). */
    public void barrier() {
        if (group != null) {
            group.barrier();
        }
    }

    /** The evaluation shard of this rank, its metric sums all-reduced over the group. */
    public EvalShard evalShard() {
        return group == null ? EvalShard.WHOLE : new EvalShard(rank(), size(), group::allReduceSum);
    }

    /** First pair of this rank's contiguous slice of a global batch of {@code size} pairs. */
    public int sliceFrom(int size) {
        return (int) ((long) size * rank() / size());
    }

    /** End (exclusive) of this rank's slice. */
    public int sliceTo(int size) {
        return (int) ((long) size * (rank() + 1) / size());
    }
}
