package dev.clcrec.train;

import dev.clcrec.engine.ProcessGroup;
import dev.clcrec.eval.EvalShard;

/**
 * How the training step is scaled out: alone or as rank {@code rank} of a process group, with the
 * id table updated densely (the reference) or sparsely. Every rank runs the same loop on the same
 * seed; the decisions that could differ between ranks (a wall-clock limit) go through
 * {@link #anyRank}, and only the leader (rank 0) writes files.
 */
public final class DataParallel {
    /** One process, no group, dense updates. */
    public static final DataParallel SINGLE = new DataParallel(null, false);

    private final ProcessGroup group;
    private final boolean sparseUpdates;

    private DataParallel(ProcessGroup group, boolean sparseUpdates) {
        this.group = group;
        this.sparseUpdates = sparseUpdates;
    }

    /** Training over {@code group} (not owned: the caller closes it after training). */
    public static DataParallel over(ProcessGroup group) {
        return new DataParallel(group == null || group.size() == 1 ? null : group, false);
    }

    /** The same, with the id table updated row-wise (see {@link dev.clcrec.engine.ClcrecModel#setSparseUpdates}). */
    public DataParallel withSparseUpdates(boolean enabled) {
        return new DataParallel(group, enabled);
    }

    public boolean sparseUpdates() {
        return sparseUpdates;
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
