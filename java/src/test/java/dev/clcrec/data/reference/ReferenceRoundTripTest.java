package dev.clcrec.data.reference;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.DatasetAssertions;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.npy.NpyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceRoundTripTest {
    @Test
    void writerOutputReadsBackIdentically(@TempDir Path tmp) throws Exception {
        try (Dataset d = Datasets.open(ReferenceTinyTest.TINY)) {
            ReferenceLayoutWriter.write(d, tmp, true);
            assertTrue(Files.exists(tmp.resolve("feat_v.pt")));
            try (Dataset back = Datasets.open(tmp)) {
                DatasetAssertions.assertSameData(d, back);
            }
        }
        // numeric files are byte-identical to numpy's
        for (String f : new String[] {"train.npy", "warm_set.npy", "cold_set.npy", "feat_a.npy", "feat_t.npy"}) {
            assertArrayEquals(Files.readAllBytes(ReferenceTinyTest.TINY.resolve(f)), Files.readAllBytes(tmp.resolve(f)), f);
        }
        // the pickled lists decode to the same rows
        var a = dev.clcrec.data.pickle.NumpyPickles.readIntLists(ReferenceTinyTest.TINY.resolve("test_full.npy"));
        var b = dev.clcrec.data.pickle.NumpyPickles.readIntLists(tmp.resolve("test_full.npy"));
        for (int u = 0; u < a.size(); u++) {
            assertArrayEquals(a.get(u), b.get(u));
        }
        assertTrue(NpyFile.readHeader(tmp.resolve("val_full.npy")).dataOffset() % 64 == 0);
    }
}
