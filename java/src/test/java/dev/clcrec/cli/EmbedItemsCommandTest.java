package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embed-items} on rows copied from the dataset gives exactly the model's encoder output for them. */
class EmbedItemsCommandTest {
    private static final int ROWS = 5;

    @TempDir Path tmp;

    @Test
    void embedsNewRowsLikeTheEncoder() {
        Path ckpt = tmp.resolve("model.ckpt");
        float[] expected;
        int dim;
        StringBuilder featureArgs = new StringBuilder();
        try (Dataset data = Datasets.open(Path.of("test-data"))) {
            ModelConfig config = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem())
                    .withDimE(8).withHiddenDim(16).withDevice(Device.CPU).withNumThreads(1).withSeed(5);
            try (ClcrecModel model = ClcrecModel.create(config, data.content())) {
                model.save(ckpt);
                dim = model.config().dimE();
                float[] all = model.encoderOutput();
                expected = java.util.Arrays.copyOf(all, ROWS * dim);
            }
            for (FeatureMatrix m : data.content().modalities()) {
                Path file = tmp.resolve("new_" + m.name() + ".npy");
                NpyWriter.writeFloats(file, m.data().asSlice(0, ROWS * m.cols() * Float.BYTES), ROWS, m.cols());
                featureArgs.append(featureArgs.isEmpty() ? "" : ",").append(m.name()).append('=').append(file);
            }
        }
        Path out = tmp.resolve("emb.npy");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Main.run(new String[] {"embed-items", "--data_path", "test-data", "--model", ckpt.toString(),
                "--features", featureArgs.toString(), "--threads", "1", "--no-cuda", "-o", out.toString()},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        assertEquals(0, code, "stderr: " + stderr);
        try (Arena arena = Arena.ofConfined()) {
            float[] got = NpyFile.map(out, arena).data().toArray(ValueLayout.JAVA_FLOAT);
            assertArrayEquals(expected, got, 1e-6f, "embed-items rows = encoder output of the same content");
        }
    }

    @Test
    void wordsForAModelWithoutWordTextAreRefused() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"embed-items", "--data_path", "test-data", "--model", "missing.ckpt",
                "--words", "w.npy", "-o", tmp.resolve("x.npy").toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("--words"), err.toString());
    }
}
