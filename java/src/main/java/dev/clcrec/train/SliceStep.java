package dev.clcrec.train;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.StepLosses;
import dev.clcrec.sampling.Batch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Feeds this rank's slice of a global batch to the training step. Every rank fills the whole
 * global batch from the seed (so the negatives and hybrid rows are exactly those one process
 * draws), then steps on its contiguous run of pairs with the hybrid rows that fall inside it,
 * renumbered; the joined model sums the slices' gradients weighted by their sizes, so N ranks take
 * exactly the step of one process. A process that replays N ranks steps on all N slices at once, each
 * with its own renumbered hybrid rows, as the ranks would. Owns a scratch buffer for the renumbered
 * hybrid rows. Public for
 * the benchmark harness (dev.clcrec.cli.BenchTrain in java/bench), which times real data-parallel steps.
 */
public final class SliceStep implements AutoCloseable {
    private final DataParallel parallel;
    private final Arena arena;
    private final MemorySegment hybrid;

    /** @param maxHybrid the most hybrid rows a global batch has ({@code SamplingConfig.hybridCount}) */
    public SliceStep(DataParallel parallel, long maxHybrid) {
        this.parallel = parallel;
        this.arena = Arena.ofConfined();
        this.hybrid = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, maxHybrid));
    }

    /** One training step of {@code model} (joined to the group when distributed) on this rank's slice. */
    public StepLosses step(ClcrecModel model, Batch batch) {
        if (parallel.replayRanks() > 1) {
            return replay(model, batch, parallel.replayRanks());
        }
        if (!parallel.distributed()) {
            return model.trainStep(batch.users(), batch.size(), batch.items(), batch.groupSize(), batch.hybridRows(),
                    batch.numHybrid());
        }
        int from = parallel.sliceFrom(batch.size());
        int to = parallel.sliceTo(batch.size());
        long group = batch.groupSize();
        long rowFrom = from * group;
        long rowTo = to * group;
        long n = renumberHybridRows(batch, rowFrom, rowTo, 0);
        long bytes = ValueLayout.JAVA_LONG.byteSize();
        MemorySegment users = batch.users().asSlice(from * bytes, (to - from) * bytes);
        MemorySegment items = batch.items().asSlice(rowFrom * bytes, (rowTo - rowFrom) * bytes);
        return model.trainStep(users, to - from, items, group, hybrid, n);
    }

    private StepLosses replay(ClcrecModel model, Batch batch, int ranks) {
        long group = batch.groupSize();
        long[] sizes = new long[ranks];
        long[] hybridCounts = new long[ranks];
        long n = 0;
        for (int r = 0; r < ranks; r++) {
            int from = DataParallel.sliceStart(batch.size(), r, ranks);
            int to = DataParallel.sliceStart(batch.size(), r + 1, ranks);
            sizes[r] = to - from;
            long before = n;
            n = renumberHybridRows(batch, from * group, to * group, n);
            hybridCounts[r] = n - before;
        }
        return model.trainStepSlices(batch.users(), batch.size(), batch.items(), group, hybrid, n, sizes,
                hybridCounts);
    }

    /**
     * Appends, from position {@code next} of the scratch buffer, the batch's hybrid rows in
     * [rowFrom, rowTo) in their order, numbered from rowFrom; returns the new end.
     */
    private long renumberHybridRows(Batch batch, long rowFrom, long rowTo, long next) {
        MemorySegment all = batch.hybridRows();
        for (long h = 0; h < batch.numHybrid(); h++) {
            long row = all.getAtIndex(ValueLayout.JAVA_LONG, h);
            if (row >= rowFrom && row < rowTo) {
                hybrid.setAtIndex(ValueLayout.JAVA_LONG, next++, row - rowFrom);
            }
        }
        return next;
    }

    @Override
    public void close() {
        arena.close();
    }
}
