package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train on thin content chooses a content-fusion weight by default: it says which, its table shows the
 * model as served next to the model alone, results.json keeps every candidate and the model alone, and
 * the bundle carries the weight; --content-fusion 0 leaves all of that out.
 */
class TrainContentFusionCommandTest {
    @TempDir Path tmp;

    private static final String[] COMMON = {"train", "--data_path", "test-data", "--num_epoch", "2", "--num_neg", "16",
            "--threads", "1", "--no-cuda", "--seed", "3"};

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(COMMON, COMMON.length + more.length);
        System.arraycopy(more, 0, all, COMMON.length, more.length);
        return all;
    }

    @Test
    void theDefaultChoosesAWeightReportsItAndBundlesIt() throws Exception {
        Path out = tmp.resolve("fused");
        MainTest.Run r = MainTest.run(with("--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--content-fusion 0,0.1,0.25,0.5,1,2"), r.out());
        assertTrue(r.out().contains("content fusion: weight "), r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode f = json.readTree(out.resolve("results.json").toFile()).get("content_fusion");
        assertNotNull(f);
        assertEquals("val:cold:recall@20", f.get("criterion").asText());
        assertEquals(6, f.get("tried").size());
        assertTrue(f.has("model_alone"));
        double weight = f.get("weight").asDouble();
        JsonNode manifest = json.readTree(out.resolve("bundle/manifest.json").toFile());
        if (weight > 0) {
            assertTrue(r.out().contains("CLCRec alone"), r.out());
            assertEquals(weight, manifest.get("content_fusion").get("weight").asDouble());
        } else {
            assertTrue(manifest.get("content_fusion").isNull(), manifest.toString());
        }
    }

    @Test
    void weightZeroIsTheModelAlone() throws Exception {
        Path out = tmp.resolve("alone");
        MainTest.Run r = MainTest.run(with("--out", out.toString(), "--content-fusion", "0"));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("content fusion:"), r.out());
        assertFalse(r.out().contains("CLCRec alone"), r.out());
        ObjectMapper json = new ObjectMapper();
        assertFalse(json.readTree(out.resolve("results.json").toFile()).has("content_fusion"));
        assertTrue(json.readTree(out.resolve("bundle/manifest.json").toFile()).get("content_fusion").isNull());
    }
}
