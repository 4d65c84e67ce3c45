package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --distill: training itself is the same run with the flag on or off; off, nothing is distilled. */
class TrainDistillTest {
    @TempDir
    Path tmp;

    @Test
    void theFlagOffChangesNothingAndOnOnlyAddsAPhaseAfterTraining() throws Exception {
        // Without content fusion, whose choice after training would make the reported values the fused model's.
        String[] common = {"train", "--data_path", "test-data", "--num_epoch", "2", "--num_neg", "16", "--threads",
                "1", "--no-cuda", "--seed", "3", "--content-fusion", "0"};
        Path off = tmp.resolve("off");
        Path on = tmp.resolve("on");
        MainTest.Run r1 = MainTest.run(concat(common, "--out", off.toString()));
        assertEquals(0, r1.code(), r1.err());
        MainTest.Run r2 = MainTest.run(concat(common, "--out", on.toString(), "--distill", "--distill-epochs", "2"));
        assertEquals(0, r2.code(), r2.err());

        // The epochs trained are identical, losses and evaluations alike (timings aside).
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(off.resolve("results.json").toFile());
        JsonNode b = json.readTree(on.resolve("results.json").toFile());
        assertFalse(a.has("distillation"), "no distillation without the flag");
        assertFalse(r1.out().contains("distillation"), r1.out());
        assertEquals(withoutTimings(a.get("history")), withoutTimings(b.get("history")));
        assertEquals(2, a.get("history").size());

        JsonNode d = b.get("distillation");
        assertNotNull(d, "the flag ran a distillation");
        assertEquals(2, d.get("epochs").size(), d.toString());
        double trained = a.get("best_selection_value").asDouble();
        assertEquals(trained, d.get("startValue").asDouble(), 0.0, "distillation starts from the selected model");
        // The kept model is the better of the trained one and the distilled epochs, on validation.
        double kept = b.get("best_selection_value").asDouble();
        double bestDistilled = Math.max(d.get("epochs").get(0).get("selectionValue").asDouble(),
                d.get("epochs").get(1).get("selectionValue").asDouble());
        assertEquals(Math.max(trained, bestDistilled), kept, 1e-12);
        assertEquals(kept > trained, Files.exists(on.resolve("best-distilled.ckpt")));
        assertTrue(r2.out().contains("distillation"), r2.out());
    }

    @Test
    void badDistillFlagsAreRefusedNamingTheFlag() {
        MainTest.Run r = MainTest.run("train", "--data_path", "test-data", "--distill", "--distill-weights", "1,0.9",
                "--no-cuda", "--out", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--distill-weights"), r.err());
        r = MainTest.run("train", "--data_path", "test-data", "--distill", "--distill-lr", "0", "--no-cuda", "--out",
                tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--distill-lr"), r.err());
    }

    private static JsonNode withoutTimings(JsonNode history) {
        JsonNode copy = history.deepCopy();
        for (JsonNode epoch : copy) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) epoch).remove(java.util.List.of("trainSeconds",
                    "samplerWaitSeconds", "nativeStepSeconds", "evalSeconds"));
        }
        return copy;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
