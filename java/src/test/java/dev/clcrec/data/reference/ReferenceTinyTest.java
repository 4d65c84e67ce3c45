package dev.clcrec.data.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.torch.TorchTensorFile;
import dev.clcrec.engine.FeatureMatrix;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** reference-tiny loads to what numpy gives (stats.json, and values checked with numpy when written). */
public class ReferenceTinyTest {
    public static final Path TINY = Path.of("java/src/test/resources/reference-tiny");

    @Test
    void countsMatchStatsJson() throws Exception {
        JsonNode stats = new ObjectMapper().readTree(TINY.resolve("stats.json").toFile());
        try (Dataset d = Datasets.open(TINY)) {
            assertEquals(stats.get("num_user").asInt(), d.numUser());
            assertEquals(stats.get("num_item").asInt(), d.numItem());
            assertEquals(stats.get("num_warm_item").asInt(), d.numWarmItem());
            assertEquals(stats.get("train_interactions").asLong(), d.train().size());
            assertEquals(3, d.content().modalities().size());
            String[] names = {"v", "a", "t"};
            for (int m = 0; m < 3; m++) {
                FeatureMatrix f = d.content().modalities().get(m);
                assertEquals(names[m], f.name());
                assertEquals(stats.get("feature_dims").get(names[m]).asLong(), f.cols());
                assertEquals(d.numItem(), f.rows());
            }
            assertTrue(d.ids().isEmpty());
        }
    }

    @Test
    void heldOutSetsMatchNumpy() {
        try (Dataset d = Datasets.open(TINY)) {
            // totals and non-empty users per split/setting, computed with numpy when this test was written
            long[][] sizes = {{66, 28, 38}, {91, 34, 57}};
            int[][] users = {{38, 22, 28}, {44, 25, 37}};
            for (Split s : Split.values()) {
                for (Setting t : Setting.values()) {
                    assertEquals(sizes[s.ordinal()][t.ordinal()], d.heldOut(s, t).size(), s + "/" + t);
                    assertEquals(users[s.ordinal()][t.ordinal()], d.heldOut(s, t).nonEmptyRows(), s + "/" + t);
                }
            }
            // val_full[1] = [1, 54, 84] global -> local 4 (warm), 34 (cold)
            assertArrayEquals(new int[] {4, 34}, d.heldOut(Split.VAL, Setting.ALL).row(1));
            assertArrayEquals(new int[] {4}, d.heldOut(Split.VAL, Setting.WARM).row(1));
            assertArrayEquals(new int[] {34}, d.heldOut(Split.VAL, Setting.COLD).row(1));
            // test_cold[0] = [0, 83, 86]
            assertArrayEquals(new int[] {33, 36}, d.heldOut(Split.TEST, Setting.COLD).row(0));
            // train.npy starts [0, 53], [0, 58], [0, 74]; user 0 has 3 training items; user 28 none
            assertArrayEquals(new int[] {3, 8, 24}, d.train().row(0));
            assertEquals(0, d.train().rowLength(28));
            assertFalse(d.isCold(31));
            assertTrue(d.isCold(32));
        }
    }

    @Test
    void featureValuesMatchNumpy() {
        try (Dataset d = Datasets.open(TINY)) {
            FeatureMatrix v = d.content().modalities().get(0);
            assertEquals(-1.5442157f, v.data().getAtIndex(ValueLayout.JAVA_FLOAT, 3 * 12 + 5));
            assertEquals(0.6246357f, v.data().getAtIndex(ValueLayout.JAVA_FLOAT, 39 * 12 + 11));
            assertEquals(36.905386268059374, sum(v), 1e-4);
            assertEquals(4.203155970200896, sum(d.content().modalities().get(1)), 1e-4);
            assertEquals(30.29790962813422, sum(d.content().modalities().get(2)), 1e-4);
            assertTrue(v.data().isMapped(), "features are memory-mapped, not copied");
        }
    }

    @Test
    void torchSaveMatrixEqualsNpy() {
        try (Dataset d = Datasets.open(TINY); Arena arena = Arena.ofConfined()) {
            FeatureMatrix pt = TorchTensorFile.readMatrix(TINY.resolve("feat_v.pt"), "v", arena);
            FeatureMatrix npy = d.content().modalities().get(0);
            assertEquals(40, pt.rows());
            assertEquals(12, pt.cols());
            assertTrue(pt.data().isMapped(), "a stored contiguous storage is mapped directly");
            assertEquals(-1, MemorySegment.mismatch(pt.data(), 0, pt.data().byteSize(), npy.data(), 0, npy.data().byteSize()));
        }
    }

    static double sum(FeatureMatrix f) {
        double s = 0;
        for (long k = 0; k < f.rows() * f.cols(); k++) {
            s += f.data().getAtIndex(ValueLayout.JAVA_FLOAT, k);
        }
        return s;
    }
}
