package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.reference.ReferenceLayoutWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authors' MovieLens command, unchanged but for the epoch count, trains on a dataset stored in
 * the reference's {@code Data/<name>/} layout (the bundled data rewritten that way) and writes results.
 */
class AuthorsCommandEndToEndTest {
    @TempDir Path tmp;

    @Test
    void authorsMovieLensCommandRunsOnReferenceLayout() throws IOException {
        Path data = tmp.resolve("Data").resolve("movielens");
        try (Dataset bundled = Datasets.open(Path.of("test-data"))) {
            ReferenceLayoutWriter.write(bundled, data, false);
        }
        assertTrue(Files.isRegularFile(data.resolve("val_full.npy")), "written in the reference layout");
        Path out = tmp.resolve("out");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Main.run(new String[] {"train", "--model_name", "CLCRec", "--data_path", data.toString(),
                "--l_r", "0.001", "--reg_weight", "0.1", "--num_workers", "4", "--num_neg", "128",
                "--has_v", "True", "--has_a", "True", "--has_t", "True", "--lr_lambda", "0.5",
                "--temp_value", "2.0", "--num_sample", "0.5", "--batch_size", "256", "--dim_E", "64",
                "--topK", "10", "--step", "2000", "--num_epoch", "1", "--seed", "1", "--no-cuda",
                "--out", out.toString()},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        assertEquals(0, code, "exit code; stderr: " + stderr);
        String printed = stdout.toString();
        assertTrue(printed.contains("best epoch"), printed);
        JsonNode results = new ObjectMapper().readTree(Files.readString(findResults(out)));
        assertEquals("EPOCH_LIMIT", results.path("stop_reason").asText(), "stopped by --num_epoch 1");
        double coldRecall = Double.NaN;
        for (JsonNode entry : results.path("best").path("eval").path("entries")) {
            if (entry.path("split").asText().equals("TEST") && entry.path("setting").asText().equals("COLD")) {
                coldRecall = entry.path("atK").path("10").path("recall").asDouble(Double.NaN);
            }
        }
        assertFalse(Double.isNaN(coldRecall), "results JSON holds test/cold Recall@10");
        // One epoch at the authors' small learning rate already ranks cold items above chance (~0.05).
        assertTrue(coldRecall > 0.08 && coldRecall <= 1, "test cold Recall@10 " + coldRecall);
        assertTrue(Files.isRegularFile(out.resolve("epochs.csv")), "per-epoch log written");
    }

    private static Path findResults(Path out) throws IOException {
        try (var files = Files.list(out)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst()
                    .orElseThrow(() -> new AssertionError("no results JSON in " + out));
        }
    }
}
