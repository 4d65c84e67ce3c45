package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.train.SyntheticData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --hidden_dim}: the encoder's hidden width is recorded in the checkpoint, so the
 * commands that load the model afterwards need no flag to rebuild it.
 */
class EncoderWidthFlagTest {
    @Test
    void aModelWithANarrowEncoderIsEvaluatedAndServedFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (Dataset d = SyntheticData.create(40, 60, 45, 4, 8, 2, false)) {
            LayoutWriter.write(d, data, Map.of());
        }
        Path out = tmp.resolve("out");
        MainTest.Run train = MainTest.run("train", "--data_path", data.toString(), "--num_epoch", "1",
                "--batch_size", "32", "--num_neg", "8", "--dim_E", "8", "--hidden_dim", "16", "--step", "50",
                "--threads", "1", "--no-cuda", "--out", out.toString());
        assertEquals(0, train.code(), train.out() + train.err());
        assertEquals(16, new ObjectMapper().readTree(out.resolve("results.json").toFile())
                .path("settings").path("hidden_dim").asInt());

        Path checkpoint = out.resolve("best.ckpt");
        MainTest.Run evaluate = MainTest.run("evaluate", "--data_path", data.toString(), "--model",
                checkpoint.toString(), "--no-cuda", "--threads", "1");
        assertEquals(0, evaluate.code(), evaluate.out() + evaluate.err());
        MainTest.Run recommend = MainTest.run("recommend", "--data_path", data.toString(), "--model",
                checkpoint.toString(), "--user", "1", "--no-cuda", "--threads", "1");
        assertEquals(0, recommend.code(), recommend.out() + recommend.err());
    }
}
