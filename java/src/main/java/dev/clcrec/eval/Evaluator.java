package dev.clcrec.eval;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.sampling.ItemSets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Full-ranking evaluation of every split in the all, warm and cold settings.
 *
 * <p>Users go to the ranker in blocks, with ONE top-K call per block under three item masks (all:
 * none, warm: cold items excluded, cold: warm items excluded) and each user's training items
 * excluded. A user's top-K list in a setting does not depend on the split, so validation and test
 * metrics come from the same lists. Immutable and thread-safe; the masks live in a shared arena
 * freed by {@link #close()}.
 */
public final class Evaluator implements AutoCloseable {
    private static final Setting[] MASK_ORDER = {Setting.ALL, Setting.WARM, Setting.COLD};

    private final ItemSets train;
    private final Map<Split, Map<Setting, ItemSets>> heldOut;
    private final int[] ks;
    private final int maxK;
    private final int blockSize;
    private final int[] users;
    private final Arena arena;
    private final MemorySegment masks;
    private final List<Block> blocks;
    private final EvalShard shard;

    /**
     * One top-K call's inputs, built once: the users and their excluded training items never change
     * between evaluations, so every epoch reuses them instead of rebuilding them.
     */
    private record Block(int start, int size, MemorySegment users, MemorySegment excludeOffsets,
                         MemorySegment excludeItems) {}

    /**
     * @param numItem items (warm first, then cold)
     * @param numWarm warm items
     * @param train each user's training items (excluded from every ranking)
     * @param heldOut per split and setting, each user's held-out items
     * @param ks cutoffs
     * @param blockSize users per top-K call (the reference's --step)
     */
    public Evaluator(int numItem, int numWarm, ItemSets train, Map<Split, Map<Setting, ItemSets>> heldOut,
                     int[] ks, int blockSize) {
        this(numItem, numWarm, train, heldOut, ks, blockSize, EvalShard.WHOLE);
    }

    /**
     * An evaluator that ranks only its shard of the users (contiguous, in user order) and combines
     * the metric sums of all shards through the shard's reducer, so every rank reports the metrics
     * over all users.
     */
    public Evaluator(int numItem, int numWarm, ItemSets train, Map<Split, Map<Setting, ItemSets>> heldOut,
                     int[] ks, int blockSize, EvalShard shard) {
        this.shard = java.util.Objects.requireNonNull(shard, "shard");
        if (blockSize <= 0) {
            throw new IllegalArgumentException("evaluation block size (--step) must be > 0, got " + blockSize);
        }
        if (numWarm < 0 || numWarm > numItem) {
            throw new IllegalArgumentException("numWarm " + numWarm + " outside 0.." + numItem);
        }
        new MetricAccumulator(ks); // validates the cutoffs
        this.train = train;
        this.heldOut = copy(heldOut, train.numRows());
        this.ks = ks.clone();
        this.maxK = Arrays.stream(ks).max().orElseThrow();
        if (maxK > numItem) {
            throw new IllegalArgumentException("K=" + maxK + " is larger than the " + numItem + " items");
        }
        this.blockSize = blockSize;
        int[] all = usersWithHeldOut(this.heldOut, train.numRows());
        this.users = Arrays.copyOfRange(all, shard.from(all.length), shard.to(all.length));
        this.arena = Arena.ofShared();
        this.masks = arena.allocate((long) MASK_ORDER.length * numItem);
        for (int j = 0; j < numItem; j++) {
            boolean cold = j >= numWarm;
            masks.set(ValueLayout.JAVA_BYTE, (long) numItem + j, (byte) (cold ? 1 : 0));
            masks.set(ValueLayout.JAVA_BYTE, 2L * numItem + j, (byte) (cold ? 0 : 1));
        }
        this.blocks = buildBlocks();
    }

    private List<Block> buildBlocks() {
        List<Block> out = new ArrayList<>();
        int[] cols = train.columns();
        for (int start = 0; start < users.length; start += blockSize) {
            int n = Math.min(blockSize, users.length - start);
            MemorySegment userSeg = arena.allocate(ValueLayout.JAVA_LONG, n);
            MemorySegment offsets = arena.allocate(ValueLayout.JAVA_LONG, n + 1L);
            long total = 0;
            for (int b = 0; b < n; b++) {
                int u = users[start + b];
                userSeg.setAtIndex(ValueLayout.JAVA_LONG, b, u);
                total += train.rowEnd(u) - train.rowStart(u);
                offsets.setAtIndex(ValueLayout.JAVA_LONG, b + 1, total);
            }
            MemorySegment excluded = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, total));
            long p = 0;
            for (int b = 0; b < n; b++) {
                int u = users[start + b];
                for (int q = train.rowStart(u); q < train.rowEnd(u); q++) {
                    excluded.setAtIndex(ValueLayout.JAVA_LONG, p++, cols[q]);
                }
            }
            out.add(new Block(start, n, userSeg, offsets, excluded));
        }
        return List.copyOf(out);
    }

    private static Map<Split, Map<Setting, ItemSets>> copy(Map<Split, Map<Setting, ItemSets>> in, int numUser) {
        Map<Split, Map<Setting, ItemSets>> out = new EnumMap<>(Split.class);
        in.forEach((split, bySetting) -> {
            Map<Setting, ItemSets> m = new EnumMap<>(Setting.class);
            bySetting.forEach((setting, sets) -> {
                if (sets.numRows() != numUser) {
                    throw new IllegalArgumentException(split + "/" + setting + " held-out sets have " + sets.numRows()
                            + " rows, training has " + numUser);
                }
                m.put(setting, sets);
            });
            out.put(split, m);
        });
        return out;
    }

    private static int[] usersWithHeldOut(Map<Split, Map<Setting, ItemSets>> heldOut, int numUser) {
        boolean[] any = new boolean[numUser];
        for (Map<Setting, ItemSets> m : heldOut.values()) {
            for (ItemSets s : m.values()) {
                for (int u = 0; u < numUser; u++) {
                    any[u] |= s.rowEnd(u) > s.rowStart(u);
                }
            }
        }
        int n = 0;
        int[] users = new int[numUser];
        for (int u = 0; u < numUser; u++) {
            if (any[u]) {
                users[n++] = u;
            }
        }
        return Arrays.copyOf(users, n);
    }

    /** Users this evaluator ranks per evaluation (those with any held-out item, in its shard). */
    public int usersRanked() {
        return users.length;
    }

    public int[] cutoffs() {
        return ks.clone();
    }

    /** Ranks every user once and scores every split and setting from those lists. */
    public EvalResult evaluate(Ranker ranker) {
        Map<Split, Map<Setting, MetricAccumulator>> acc = new EnumMap<>(Split.class);
        heldOut.forEach((split, m) -> {
            Map<Setting, MetricAccumulator> a = new EnumMap<>(Setting.class);
            m.keySet().forEach(s -> a.put(s, new MetricAccumulator(ks)));
            acc.put(split, a);
        });
        for (Block blk : blocks) {
            int start = blk.start();
            int n = blk.size();
            try (Arena block = Arena.ofConfined()) {
                MemorySegment out = block.allocate(ValueLayout.JAVA_LONG, (long) MASK_ORDER.length * n * maxK);
                ranker.topK(blk.users(), n, blk.excludeOffsets(), blk.excludeItems(), masks, MASK_ORDER.length, maxK,
                        out);
                long[] ranked = out.toArray(ValueLayout.JAVA_LONG);
                for (int m = 0; m < MASK_ORDER.length; m++) {
                    Setting setting = MASK_ORDER[m];
                    for (Split split : acc.keySet()) {
                        MetricAccumulator a = acc.get(split).get(setting);
                        if (a == null) {
                            continue;
                        }
                        ItemSets truth = heldOut.get(split).get(setting);
                        for (int b = 0; b < n; b++) {
                            int u = users[start + b];
                            a.add(ranked, (m * n + b) * maxK, maxK, truth.columns(), truth.rowStart(u), truth.rowEnd(u));
                        }
                    }
                }
            }
        }
        if (shard.world() > 1) {
            reduce(acc);
        }
        List<SettingMetrics> entries = new ArrayList<>();
        acc.forEach((split, m) -> m.forEach((setting, a) ->
                entries.add(new SettingMetrics(split, setting, a.users(), a.averages()))));
        return new EvalResult(entries);
    }

    // One all-reduce for every split, setting and cutoff, in the maps' fixed (enum) order.
    private void reduce(Map<Split, Map<Setting, MetricAccumulator>> acc) {
        List<MetricAccumulator> all = new ArrayList<>();
        acc.values().forEach(m -> all.addAll(m.values()));
        int length = all.stream().mapToInt(MetricAccumulator::sumsLength).sum();
        double[] sums = new double[length];
        int offset = 0;
        for (MetricAccumulator a : all) {
            a.writeSums(sums, offset);
            offset += a.sumsLength();
        }
        shard.reducer().sumInPlace(sums);
        offset = 0;
        for (MetricAccumulator a : all) {
            a.readSums(sums, offset);
            offset += a.sumsLength();
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
