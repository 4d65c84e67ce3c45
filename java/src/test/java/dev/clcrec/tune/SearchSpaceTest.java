package dev.clcrec.tune;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchSpaceTest {
    @Test
    void defaultsCoverTheSevenParametersWithinTheirRanges() {
        SearchSpace s = SearchSpace.defaults();
        assertEquals(List.of("l_r", "reg_weight", "lr_lambda", "temp_value", "num_sample", "dim_E", "num_neg"),
                s.params().stream().map(Param::name).toList());
        for (int i = 0; i < 200; i++) {
            Map<String, Double> v = s.sample(7, i);
            assertTrue(v.get("l_r") >= 1e-4 && v.get("l_r") <= 1e-2, v.toString());
            assertTrue(v.get("num_sample") >= 0.1 && v.get("num_sample") <= 0.9, v.toString());
            assertTrue(List.of(32.0, 64.0, 128.0).contains(v.get("dim_E")), v.toString());
        }
    }

    @Test
    void trialValuesDependOnlyOnSeedAndIndex() {
        SearchSpace s = SearchSpace.defaults();
        assertEquals(s.sample(3, 5), s.sample(3, 5));
        assertNotEquals(s.sample(3, 5), s.sample(3, 6));
        assertNotEquals(s.sample(3, 5), s.sample(4, 5));
    }

    @Test
    void jsonOverridesReplaceFixAndDrop(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("space.json");
        Files.writeString(f, "{\"l_r\": {\"log_uniform\": [0.001, 0.002]}, \"dim_E\": {\"choice\": [8, 16]},"
                + " \"temp_value\": 2, \"lr_lambda\": null, \"num_sample\": {\"uniform\": [0.4, 0.6]}}");
        SearchSpace s = SearchSpace.withOverrides(f);
        assertFalse(s.params().stream().anyMatch(p -> p.name().equals("lr_lambda")), "null drops it");
        Map<String, Double> v = s.sample(1, 0);
        assertEquals(2.0, v.get("temp_value"));
        assertTrue(v.get("l_r") >= 0.001 && v.get("l_r") <= 0.002);
        assertTrue(v.get("dim_E") == 8 || v.get("dim_E") == 16);
        assertTrue(v.containsKey("num_neg"), "entries not named keep their defaults");
    }

    @Test
    void badJsonNamesTheFileAndEntry(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("space.json");
        Files.writeString(f, "{\"learning_rate\": 0.1}");
        String m = assertThrows(IllegalArgumentException.class, () -> SearchSpace.withOverrides(f)).getMessage();
        assertTrue(m.contains("space.json") && m.contains("learning_rate"), m);
        Files.writeString(f, "{\"l_r\": {\"log_uniform\": [0, 1]}}");
        m = assertThrows(IllegalArgumentException.class, () -> SearchSpace.withOverrides(f)).getMessage();
        assertTrue(m.contains("\"l_r\"") && m.contains("0 < low"), m);
        Files.writeString(f, "{\"l_r\": {\"normal\": [0, 1]}}");
        m = assertThrows(IllegalArgumentException.class, () -> SearchSpace.withOverrides(f)).getMessage();
        assertTrue(m.contains("unknown distribution 'normal'"), m);
        Files.writeString(f, "[1, 2]");
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.withOverrides(f));
        Files.writeString(f, "{not json");
        m = assertThrows(IllegalArgumentException.class, () -> SearchSpace.withOverrides(f)).getMessage();
        assertTrue(m.contains("space.json"), m);
    }

    @Test
    void eachParameterLandsInTheRunConfiguration() {
        RunConfig base = new RunConfig(ModelConfig.defaults(1, 1, 1), new SamplingConfig(32, 4, 0.5, 3, 1, false),
                new TrainOptions(1, 7, 10, null, null, 0), new int[] {10}, 50, null);
        RunConfig c = base;
        c = TunedParameter.L_R.apply(c, 0.004);
        c = TunedParameter.REG_WEIGHT.apply(c, 0.2);
        c = TunedParameter.LR_LAMBDA.apply(c, 0.3);
        c = TunedParameter.TEMP_VALUE.apply(c, 1.5);
        c = TunedParameter.NUM_SAMPLE.apply(c, 0.7);
        c = TunedParameter.DIM_E.apply(c, 48);
        c = TunedParameter.NUM_NEG.apply(c, 17);
        assertEquals(0.004, c.model().learningRate());
        assertEquals(0.2, c.model().regWeight());
        assertEquals(0.3, c.model().lrLambda());
        assertEquals(1.5, c.model().tempValue());
        assertEquals(0.7, c.sampling().numSample());
        assertEquals(48, c.model().dimE());
        assertEquals(17, c.sampling().numNeg());
        assertEquals(3, c.sampling().seed(), "the seed is untouched");
        assertEquals("48", TunedParameter.DIM_E.format(48.0));
        assertEquals(0.001234, Double.parseDouble(TunedParameter.L_R.format(0.001234)));
    }
}
