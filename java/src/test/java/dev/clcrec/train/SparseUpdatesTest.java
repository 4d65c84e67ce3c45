package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --sparse-updates} on one process: rows outside the batch do not move (not even by Adam's
 * momentum), and from zero moments the step on the touched rows is the dense Adam step.
 */
class SparseUpdatesTest {
    private static final int DIM = 64;

    @Test
    void rowsOutsideTheBatchStayPutAndTouchedRowsTakeTheDenseAdamStep() {
        try (Dataset d = SyntheticData.create(60, 80, 60, 4, 8, 2, false);
             Arena arena = Arena.ofConfined()) {
            ModelConfig config = ModelConfig.defaults(d.numUser(), d.numItem(), d.numWarmItem()).withDevice(Device.CPU)
                    .withNumThreads(1).withSeed(3);
            int numUser = d.numUser();
            // step 1 touches users 0..3 and items 0..11; step 2 users 10..13 and items 20..31
            long[][] users = {{0, 1, 2, 3}, {10, 11, 12, 13}};
            long[][] items = new long[2][12];
            for (int s = 0; s < 2; s++) {
                for (int i = 0; i < 12; i++) {
                    items[s][i] = 20L * s + i;
                }
            }
            long[] hybrid = {1, 5, 5, 9};
            try (ClcrecModel dense = ClcrecModel.create(config, d.content());
                 ClcrecModel sparse = ClcrecModel.create(config, d.content())) {
                sparse.setSparseUpdates(true);
                float[] before = sparse.parameter("id_embedding");
                step(dense, arena, users[0], items[0], hybrid);
                step(sparse, arena, users[0], items[0], hybrid);
                float[] denseAfter1 = dense.parameter("id_embedding");
                float[] sparseAfter1 = sparse.parameter("id_embedding");
                Set<Integer> touched1 = touchedRows(users[0], items[0], numUser);
                int moved = 0;
                for (int row = 0; row < before.length / DIM; row++) {
                    for (int c = 0; c < DIM; c++) {
                        int e = row * DIM + c;
                        if (touched1.contains(row)) {
                            // zero moments: the lazy step is dense Adam's step on these rows
                            assertEquals(denseAfter1[e], sparseAfter1[e], 1e-7, "touched row " + row);
                            moved += sparseAfter1[e] != before[e] ? 1 : 0;
                        } else {
                            assertEquals(before[e], sparseAfter1[e], 0.0f, "untouched row " + row + " moved");
                        }
                    }
                }
                assertTrue(moved > touched1.size() * DIM / 2, "the touched rows moved");
                for (String p : dense.parameterNames()) {
                    if (!p.equals("id_embedding")) {
                        assertArrayEquals(dense.parameter(p), sparse.parameter(p), 1e-7f, p + " is dense in both modes");
                    }
                }
                // a second step elsewhere: dense Adam's momentum keeps moving step 1's rows, lazy Adam does not
                step(dense, arena, users[1], items[1], new long[0]);
                step(sparse, arena, users[1], items[1], new long[0]);
                float[] denseAfter2 = dense.parameter("id_embedding");
                float[] sparseAfter2 = sparse.parameter("id_embedding");
                Set<Integer> touched2 = touchedRows(users[1], items[1], numUser);
                boolean denseMomentum = false;
                for (int row : touched1) {
                    if (touched2.contains(row)) {
                        continue;
                    }
                    for (int c = 0; c < DIM; c++) {
                        int e = row * DIM + c;
                        assertEquals(sparseAfter1[e], sparseAfter2[e], 0.0f, "row " + row + " of step 1 moved in step 2");
                        denseMomentum |= denseAfter2[e] != denseAfter1[e];
                    }
                }
                assertTrue(denseMomentum, "dense Adam moves step 1's rows again (the difference sparse mode makes)");
                for (int row = 0; row < before.length / DIM; row++) {
                    if (!touched1.contains(row) && !touched2.contains(row)) {
                        for (int c = 0; c < DIM; c++) {
                            assertEquals(before[row * DIM + c], sparseAfter2[row * DIM + c], 0.0f);
                        }
                    }
                }
                assertEquals(2, sparse.stepCount());
            }
        }
    }

    private static Set<Integer> touchedRows(long[] users, long[] items, int numUser) {
        Set<Integer> rows = new HashSet<>();
        for (long u : users) {
            rows.add((int) u);
        }
        for (long j : items) {
            rows.add(numUser + (int) j);
        }
        return rows;
    }

    private static void step(ClcrecModel model, Arena arena, long[] users, long[] items, long[] hybrid) {
        MemorySegment u = arena.allocateFrom(ValueLayout.JAVA_LONG, users);
        MemorySegment i = arena.allocateFrom(ValueLayout.JAVA_LONG, items);
        MemorySegment h = hybrid.length == 0 ? null : arena.allocateFrom(ValueLayout.JAVA_LONG, hybrid);
        model.trainStep(u, users.length, i, items.length / users.length, h, hybrid.length);
    }
}
