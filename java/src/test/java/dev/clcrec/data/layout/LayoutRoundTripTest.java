package dev.clcrec.data.layout;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.DatasetAssertions;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.reference.ReferenceTinyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayoutRoundTripTest {
    @Test
    void referenceTinyConvertsToOurLayoutAndBack(@TempDir Path tmp) {
        try (Dataset d = Datasets.open(ReferenceTinyTest.TINY)) {
            LayoutWriter.write(d, tmp, Map.of("converted_from", "reference-tiny"));
            Manifest m = ManifestFiles.read(tmp.resolve(Manifest.FILE));
            assertEquals(3, m.modalities().size());
            assertEquals(205, m.counts().train());
            // our layout refuses users without training items (reference-tiny's user 28)
            var e = assertThrows(dev.clcrec.data.DatasetFormatException.class, () -> Datasets.open(tmp));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("user 28"), e.getMessage());
        }
    }
}
