package dev.clcrec.train;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ProcessGroup;
import dev.clcrec.eval.EvalShard;

/**
 * How the training step is scaled out: alone or as rank {@code rank} of a process group, with the
 * id table updated densely (the reference) or sparsely. Every rank runs the same loop on the same
 * seed; the decisions that could differ between ranks (a wall-clock limit) go through
 * {@link #anyRank}, and only the leader (rank 0) writes files. One process can also replay a
 * group's run bit for bit ({@link #replaying}).
 */
public final class DataParallel {
    /** One process, no group, dense updates. */
    public static final DataParallel SINGLE = new DataParallel(null, false, 1, false);

    /** The most ranks a replay or a group may have (as the CLI's --world-size). */
    public static final int MAX_RANKS = 65_536;

    private final ProcessGroup group;
    private final boolean sparseUpdates;
    private final int replayRanks;
    private final boolean rankOrderReduction;

    private DataParallel(ProcessGroup group, boolean sparseUpdates, int replayRanks, boolean rankOrderReduction) {
        this.group = group;
        this.sparseUpdates = sparseUpdates;
        this.replayRanks = replayRanks;
        this.rankOrderReduction = rankOrderReduction;
    }

    /** Training over {@code group} (not owned: the caller closes it after training). */
    public static DataParallel over(ProcessGroup group) {
        return new DataParallel(group == null || group.size() == 1 ? null : group, false, 1, false);
    }

    /**
     * One process that takes every step as {@code ranks} ranks of a group take it together: each
     * rank's slice of the global batch on its own, their gradients summed in rank order
     * ({@link dev.clcrec.engine.ClcrecModel#trainStepSlices}). Its parameters, losses and metrics are
     * bit-identical to those of a run on that many ranks with the same flags (with
     * {@link #withRankOrderReduction rank-order reduction} beyond two ranks), so a data-parallel run
     * can be reproduced, checked or debugged on one machine. {@code ranks = 1} is {@link #SINGLE}.
     */
    public static DataParallel replaying(int ranks) {
        if (ranks < 1 || ranks > MAX_RANKS) {
            throw new IllegalArgumentException("replayed ranks " + ranks + ": must be in 1.." + MAX_RANKS);
        }
        return new DataParallel(null, false, ranks, false);
    }

    /** The same, with the id table updated row-wise (see {@link dev.clcrec.engine.ClcrecModel#setSparseUpdates}). */
    public DataParallel withSparseUpdates(boolean enabled) {
        return new DataParallel(group, enabled, replayRanks, rankOrderReduction);
    }

    /**
     * The same, with the ranks' gradients summed in rank order
     * ({@link dev.clcrec.engine.ClcrecModel#setRankOrderReduction}), so that {@link #replaying} reproduces
     * the run exactly with any number of ranks. Only for a group.
     */
    public DataParallel withRankOrderReduction(boolean enabled) {
        if (enabled && group == null) {
            throw new IllegalArgumentException("rank-order reduction is for a group of ranks; one process "
                    + "(alone or replaying ranks) has no reduction to order");
        }
        return new DataParallel(group, sparseUpdates, replayRanks, enabled);
    }

    public boolean rankOrderReduction() {
        return rankOrderReduction;
    }

    /** The ranks this process replays: 1 unless {@link #replaying}. */
    public int replayRanks() {
        return replayRanks;
    }

    /**
     * Sets {@code model} up for training under this: joins the group (rank 0's parameters are
     * broadcast) with its reduction order, and switches sparse updates on or off. Every rank must call
     * it, in the same order as the other collectives.
     */
    public void prepare(ClcrecModel model) {
        if (group != null) {
            model.joinGroup(group);
            model.setRankOrderReduction(rankOrderReduction);
        }
        model.setSparseUpdates(sparseUpdates);
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
        return sliceStart(size, rank(), size());
    }

    /** End (exclusive) of this rank's slice. */
    public int sliceTo(int size) {
        return sliceStart(size, rank() + 1, size());
    }

    /** Where rank {@code rank}'s slice of {@code size} pairs starts among {@code ranks} ranks (rank = ranks: the end). */
    static int sliceStart(int size, int rank, int ranks) {
        return (int) ((long) size * rank / ranks);
    }
}
