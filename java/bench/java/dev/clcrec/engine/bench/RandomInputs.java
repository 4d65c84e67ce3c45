package dev.clcrec.engine.bench;

import dev.clcrec.engine.FeatureMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random content and batches for the step benchmarks: the step's cost does not depend on the values. */
final class RandomInputs {
    private static final String[] MODALITIES = {"v", "a", "t"};

    private RandomInputs() {}

    /** One uniform [0, 1) matrix of numItem rows per width, named v, a, t in that order. */
    static List<FeatureMatrix> content(Arena arena, SplittableRandom random, long numItem, long[] widths) {
        List<FeatureMatrix> modalities = new ArrayList<>();
        for (int m = 0; m < widths.length; m++) {
            MemorySegment data = arena.allocate(ValueLayout.JAVA_FLOAT, numItem * widths[m]);
            for (long i = 0; i < numItem * widths[m]; i++) {
                data.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble());
            }
            modalities.add(new FeatureMatrix(MODALITIES[m], data, numItem, widths[m]));
        }
        return modalities;
    }

    /** Fills a batch: users uniform over the table, items over the warm items, hybrid rows over the rows. */
    static void fillBatch(SplittableRandom random, MemorySegment users, long batch, long numUser, MemorySegment items,
                          long rows, long numWarm, MemorySegment hybrid, long numHybrid) {
        for (long i = 0; i < batch; i++) {
            users.setAtIndex(ValueLayout.JAVA_LONG, i, random.nextLong(numUser));
        }
        for (long r = 0; r < rows; r++) {
            items.setAtIndex(ValueLayout.JAVA_LONG, r, random.nextLong(numWarm));
        }
        for (long h = 0; h < numHybrid; h++) {
            hybrid.setAtIndex(ValueLayout.JAVA_LONG, h, random.nextLong(rows));
        }
    }
}
