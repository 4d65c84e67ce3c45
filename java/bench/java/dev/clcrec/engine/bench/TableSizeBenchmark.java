package dev.clcrec.engine.bench;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.engine.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Step time against the size of the id table, dense Adam against --sparse-updates: the MovieLens
 * shape (5,986 items, 5,119 warm, features 2048+128+100, batch 256, 128 negatives, dim 64) with
 * NUM_USER users, on random data.
 *
 * <p>Usage: TableSizeBenchmark NUM_USER dense|sparse [steps=20] [warmup=3] [threads=0]
 */
public final class TableSizeBenchmark {
    private static final long NUM_ITEM = 5_986;
    private static final long NUM_WARM = 5_119;
    private static final long[] WIDTHS = {2048, 128, 100};
    private static final int BATCH = 256;
    private static final int NUM_NEG = 128;

    private TableSizeBenchmark() {}

    public static void main(String[] args) {
        long numUser = Long.parseLong(args[0]);
        boolean sparse = args[1].equals("sparse");
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        NativeLibrary.ensureLoaded();
        SplittableRandom random = new SplittableRandom(1);
        try (Arena arena = Arena.ofShared()) {
            List<FeatureMatrix> modalities = RandomInputs.content(arena, random, NUM_ITEM, WIDTHS);
            ModelConfig config = ModelConfig.defaults(numUser, NUM_ITEM, NUM_WARM).withTempValue(2.0)
                    .withLrLambda(0.5).withDevice(Device.CPU).withNumThreads(threads);
            int group = 1 + NUM_NEG;
            int rows = BATCH * group;
            int numHybrid = rows / 2;
            MemorySegment users = arena.allocate(ValueLayout.JAVA_LONG, BATCH);
            MemorySegment items = arena.allocate(ValueLayout.JAVA_LONG, rows);
            MemorySegment hybrid = arena.allocate(ValueLayout.JAVA_LONG, numHybrid);
            try (ClcrecModel model = ClcrecModel.create(config, new ContentFeatures(modalities))) {
                model.setSparseUpdates(sparse);
                long[] nanos = new long[steps];
                for (int s = -warmup; s < steps; s++) {
                    RandomInputs.fillBatch(random, users, BATCH, numUser, items, rows, NUM_WARM, hybrid, numHybrid);
                    long t0 = System.nanoTime();
                    model.trainStep(users, BATCH, items, group, hybrid, numHybrid);
                    if (s >= 0) {
                        nanos[s] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(nanos);
                System.out.printf("users %d  table %d x 64  %s  threads %s  median step %.1f ms  p10 %.1f  p90 %.1f%n",
                        numUser, numUser + NUM_ITEM, sparse ? "sparse" : "dense", threads <= 0 ? "all" : threads,
                        nanos[steps / 2] / 1e6, nanos[steps / 10] / 1e6, nanos[(steps * 9) / 10] / 1e6);
            }
        }
    }
}
