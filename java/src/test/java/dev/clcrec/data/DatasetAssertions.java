package dev.clcrec.data;

import dev.clcrec.engine.FeatureMatrix;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Field-by-field dataset equality for round-trip tests. */
public final class DatasetAssertions {
    private DatasetAssertions() {}

    public static void assertSameData(Dataset a, Dataset b) {
        assertEquals(a.numUser(), b.numUser());
        assertEquals(a.numItem(), b.numItem());
        assertEquals(a.numWarmItem(), b.numWarmItem());
        assertEquals(a.train(), b.train());
        for (Split s : Split.values()) {
            for (Setting t : Setting.values()) {
                assertEquals(a.heldOut(s, t), b.heldOut(s, t), s + "/" + t);
            }
        }
        assertEquals(a.content().modalities().size(), b.content().modalities().size());
        for (int m = 0; m < a.content().modalities().size(); m++) {
            FeatureMatrix x = a.content().modalities().get(m);
            FeatureMatrix y = b.content().modalities().get(m);
            assertEquals(x.rows(), y.rows());
            assertEquals(x.cols(), y.cols());
            assertEquals(-1, MemorySegment.mismatch(x.data(), 0, x.rows() * x.cols() * 4, y.data(), 0, y.rows() * y.cols() * 4),
                    "modality " + m + " values");
        }
    }
}
