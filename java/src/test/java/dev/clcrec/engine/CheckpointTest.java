package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save/load restores the exact model and optimizer; bad checkpoint files fail with their path. */
class CheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripRestoresParametersAndContinuesIdentically() {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(7, arena)) {
            List<long[][]> batches = batches(c, 5);
            for (int s = 0; s < 2; s++) {
                step(c.model, batches.get(s), arena);
            }
            Path file = tmp.resolve("model.ckpt");
            c.model.save(file);
            assertTrue(Files.isRegularFile(file));
            try (ClcrecModel loaded = ClcrecModel.load(file, content(c, arena), TestDevice.get(), 0, 1)) {
                assertEquals(c.model.config(), loaded.config(), "config restored (device and kernels resolved)");
                assertEquals(2, loaded.stepCount(), "step count restored");
                assertParametersIdentical(c.model, loaded, "after load");
                for (int s = 2; s < 5; s++) {
                    StepLosses a = step(c.model, batches.get(s), arena);
                    StepLosses b = step(loaded, batches.get(s), arena);
                    assertEquals(a, b, "losses of step " + s + " (Adam moments must be restored too)");
                    assertParametersIdentical(c.model, loaded, "after step " + s);
                }
            }
        }
    }

    @Test
    void missingCheckpointNamesThePath() {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(8, arena)) {
            Path missing = tmp.resolve("nope.ckpt");
            ClcrecException e = assertThrows(ClcrecException.class,
                    () -> ClcrecModel.load(missing, content(c, arena), Device.CPU, 0, 1));
            assertEquals(ClcrecException.IO, e.status());
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        }
    }

    @Test
    void corruptAndTruncatedCheckpointsNameThePath() throws IOException {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(9, arena)) {
            Path good = tmp.resolve("good.ckpt");
            c.model.save(good);
            byte[] bytes = Files.readAllBytes(good);

            Path garbage = tmp.resolve("garbage.ckpt");
            byte[] noise = new byte[4096];
            new Random(1).nextBytes(noise);
            Files.write(garbage, noise);
            Path truncated = tmp.resolve("truncated.ckpt");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
            Path empty = tmp.resolve("empty.ckpt");
            Files.write(empty, new byte[0]);

            for (Path bad : List.of(garbage, truncated, empty)) {
                ClcrecException e = assertThrows(ClcrecException.class,
                        () -> ClcrecModel.load(bad, content(c, arena), Device.CPU, 0, 1), bad.toString());
                assertEquals(ClcrecException.IO, e.status(), e.getMessage());
                assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            }
            // and the model that wrote the good one is still fine
            assertEquals(c.model.parameterNames().size(), c.model.parameterNames().size());
            assertTrue(c.model.parameter("id_embedding").length > 0);
        }
    }

    @Test
    void checkpointOfADifferentShapeIsRefused() {
        try (Arena arena = Arena.ofConfined(); RandomCase a = new RandomCase(10, arena);
                RandomCase b = new RandomCase(11, arena)) {
            Path file = tmp.resolve("a.ckpt");
            a.model.save(file);
            // loading a's checkpoint with b's content: the feature widths / item count disagree
            assertThrows(RuntimeException.class, () -> ClcrecModel.load(file, content(b, arena), Device.CPU, 0, 1)
                    .close());
        }
    }

    @Test
    void savingIntoAMissingFolderNamesThePath() {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(12, arena)) {
            Path bad = tmp.resolve("no/such/dir/model.ckpt");
            ClcrecException e = assertThrows(ClcrecException.class, () -> c.model.save(bad));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    static ContentFeatures content(RandomCase c, Arena arena) {
        List<FeatureMatrix> ms = new ArrayList<>();
        for (int m = 0; m < c.modalities.size(); m++) {
            ms.add(new FeatureMatrix("m" + m, Fixtures.floats(arena, c.modalities.get(m)), c.numItem, c.widths[m]));
        }
        WordPairs words = c.wordPairs == null ? null
                : new WordPairs(Fixtures.longs(arena, c.wordPairs), c.numWordPairs, c.numWords);
        return new ContentFeatures(ms, words);
    }

    private static void assertParametersIdentical(ClcrecModel a, ClcrecModel b, String when) {
        assertEquals(a.parameterNames(), b.parameterNames());
        for (String name : a.parameterNames()) {
            assertArrayEquals(a.parameter(name), b.parameter(name), name + " bit-identical " + when);
        }
    }

    /** Random batches: {users, items, hybrid rows}. */
    private static List<long[][]> batches(RandomCase c, int count) {
        Random r = new Random(42);
        List<long[][]> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int batch = 4;
            int group = 3;
            long[] users = new long[batch];
            long[] items = new long[batch * group];
            long[] hybrid = new long[batch * group / 2];
            for (int i = 0; i < batch; i++) {
                users[i] = r.nextInt(c.numUser);
            }
            for (int i = 0; i < items.length; i++) {
                items[i] = r.nextInt(c.numWarm);
            }
            for (int i = 0; i < hybrid.length; i++) {
                hybrid[i] = r.nextInt(items.length);
            }
            out.add(new long[][] {users, items, hybrid});
        }
        return out;
    }

    private static StepLosses step(ClcrecModel model, long[][] b, Arena arena) {
        MemorySegment users = Fixtures.longs(arena, b[0]);
        MemorySegment items = Fixtures.longs(arena, b[1]);
        MemorySegment hybrid = Fixtures.longs(arena, b[2]);
        return model.trainStep(users, b[0].length, items, b[1].length / b[0].length, hybrid, b[2].length);
    }
}
