package dev.clcrec.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A graph written by {@link HnswIndex#writeGraph} loads back into an index that searches the same. */
class GraphFileTest {
    private static final int DIM = 64;
    private static final int ROWS = 4_000;
    private final ClusteredVectors gen = new ClusteredVectors(DIM, 11);
    private final float[][] rows = new float[ROWS][];

    GraphFileTest() {
        for (int i = 0; i < ROWS; i++) {
            rows[i] = gen.item(i);
        }
    }

    private byte[] written(HnswIndex index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index.writeGraph(out);
        return out.toByteArray();
    }

    private HnswIndex load(byte[] file, HnswConfig config, int n) throws IOException {
        return HnswIndex.load(DIM, n, r -> rows[r], config, null, new ByteArrayInputStream(file));
    }

    @Test
    void aLoadedGraphAnswersEverySearchAsTheBuiltOne() throws IOException {
        HnswIndex built = HnswIndex.build(DIM, ROWS, r -> rows[r], HnswConfig.DEFAULTS);
        HnswIndex loaded = load(written(built), HnswConfig.DEFAULTS, ROWS);
        assertEquals(built.graphSize(), loaded.graphSize());
        assertEquals(0, loaded.tailSize());
        for (int u = 0; u < 200; u++) {
            float[] q = gen.user(u);
            // a narrow search, where a graph with other links would reach other rows
            Hits a = built.search(q, 10, null, 12);
            Hits b = loaded.search(q, 10, null, 12);
            assertArrayEquals(a.rows(), b.rows(), "user " + u);
            assertArrayEquals(a.scores(), b.scores(), "user " + u);
            assertEquals(a.visited(), b.visited(), "user " + u);
        }
        // and it goes on like a built one: adds join the tail, a merge links them in
        loaded.add(ROWS, gen.item(ROWS));
        loaded.merge();
        assertEquals(ROWS + 1, loaded.graphSize());
    }

    @Test
    void aDamagedFileIsRefusedWherever() throws IOException {
        byte[] file = written(HnswIndex.build(DIM, ROWS, r -> rows[r], HnswConfig.DEFAULTS));
        for (int at : new int[] {0, 9, 40, file.length / 3, file.length / 2, file.length - 5, file.length - 1}) {
            byte[] bad = file.clone();
            bad[at] ^= 0x10;
            GraphFileException e = assertThrows(GraphFileException.class, () -> load(bad, HnswConfig.DEFAULTS, ROWS),
                    "byte " + at);
            // a flipped setting in the header is damage, not a graph for other settings
            assertEquals(GraphFileException.Kind.CORRUPT, e.kind(), "byte " + at + ": " + e.getMessage());
        }
        for (int len : new int[] {0, 7, 100, file.length - 4, file.length - 1}) {
            GraphFileException e = assertThrows(GraphFileException.class,
                    () -> load(Arrays.copyOf(file, len), HnswConfig.DEFAULTS, ROWS), "length " + len);
            assertEquals(GraphFileException.Kind.CORRUPT, e.kind(), "length " + len);
        }
    }

    @Test
    void aGraphOfOtherRowsOrSettingsIsAMismatch() throws IOException {
        byte[] file = written(HnswIndex.build(DIM, ROWS, r -> rows[r], HnswConfig.DEFAULTS));
        assertEquals(GraphFileException.Kind.MISMATCH, assertThrows(GraphFileException.class,
                () -> load(file, HnswConfig.DEFAULTS, ROWS - 1)).kind());
        assertEquals(GraphFileException.Kind.MISMATCH, assertThrows(GraphFileException.class,
                () -> load(file, HnswConfig.DEFAULTS.withGraph(8, 100), ROWS)).kind());
        assertEquals(GraphFileException.Kind.MISMATCH, assertThrows(GraphFileException.class,
                () -> HnswIndex.load(DIM / 2, ROWS, r -> Arrays.copyOf(rows[r], DIM / 2), HnswConfig.DEFAULTS, null,
                        new ByteArrayInputStream(file))).kind());
        // the search width is not part of the graph
        load(file, HnswConfig.DEFAULTS.withEfSearch(7), ROWS);
    }

    @Test
    void anIndexWithoutAGraphHasNothingToWrite() {
        HnswIndex empty = HnswIndex.create(DIM, HnswConfig.DEFAULTS);
        assertThrows(IllegalStateException.class, () -> empty.writeGraph(new ByteArrayOutputStream()));
    }
}
