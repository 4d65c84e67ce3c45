package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.engine.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @Test
    void exportWritesABundleThatServesLikeTheCheckpointOverItsDataset(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        try (Dataset d = ServingFixtures.dataset()) {
            LayoutWriter.write(d, dataDir, Map.of("kind", "test"));
            ServingFixtures.trainBundle(d, dir.resolve("trained"), 2, 1).close(); // also writes trained.ckpt
        }
        Path ckpt = dir.resolve("trained.ckpt");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"export", "--PATH_weight_load", ckpt.toString(), "--data_path",
                dataDir.toString(), "--out", dir.resolve("exported").toString(), "--no-cuda"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("bundle"), out.toString());
        try (Dataset d = Datasets.open(dataDir);
             Recommender loaded = Recommender.load(ckpt, d, Device.CPU, 1);
             Recommender served = Recommender.open(dir.resolve("exported").resolve("bundle"))) {
            for (int u = 0; u < d.numUser(); u += 5) {
                String user = d.ids().orElseThrow().externalUser(u);
                assertEquals(loaded.recommend(user, 10, ItemFilter.ALL), served.recommend(user, 10, ItemFilter.ALL));
            }
        }
        // recommend reads the bundle alone, and prints what the checkpoint over its dataset gives.
        Path bundle = dir.resolve("exported").resolve("bundle");
        StringWriter fromBundle = new StringWriter();
        StringWriter fromCheckpoint = new StringWriter();
        assertEquals(0, Main.run(new String[] {"recommend", "--model", bundle.toString(), "--user", "u3,u7,nobody",
                "-k", "5", "--no-cuda"}, new PrintWriter(fromBundle), new PrintWriter(new StringWriter())));
        assertEquals(0, Main.run(new String[] {"recommend", "--model", ckpt.toString(), "--data_path", dataDir.toString(),
                "--user", "u3,u7", "-k", "5", "--no-cuda"}, new PrintWriter(fromCheckpoint),
                new PrintWriter(new StringWriter())));
        assertTrue(fromBundle.toString().startsWith(fromCheckpoint.toString()), fromBundle + "\n---\n" + fromCheckpoint);
        assertEquals(1 + 15, fromBundle.toString().strip().lines().count(), fromBundle.toString());
        assertTrue(fromBundle.toString().contains("nobody\t1\t") && fromBundle.toString().contains("\tpopular"),
                fromBundle.toString());
        StringWriter noData = new StringWriter();
        assertEquals(2, Main.run(new String[] {"recommend", "--model", ckpt.toString(), "--user", "u3"},
                new PrintWriter(new StringWriter()), new PrintWriter(noData)));
        assertTrue(noData.toString().contains("--data_path"), noData.toString());
        // A missing checkpoint is a clear error, not a stack trace.
        StringWriter err2 = new StringWriter();
        assertNotEquals(0, Main.run(new String[] {"export", "--PATH_weight_load", dir.resolve("nope.ckpt").toString(),
                "--data_path", dataDir.toString(), "--out", dir.resolve("x").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err2)));
        assertTrue(err2.toString().contains("nope.ckpt"), err2.toString());
    }
}
