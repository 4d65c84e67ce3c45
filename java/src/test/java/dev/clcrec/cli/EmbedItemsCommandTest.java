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

    /** The same rows given as CSV and as .npy must give bit-identical embeddings (CSV rows 2+ were once garbage). */
    @Test
    void csvAndNpyOfTheSameRowsGiveIdenticalOutput() throws Exception {
        Path ckpt = tmp.resolve("model.ckpt");
        StringBuilder npyArgs = new StringBuilder();
        StringBuilder csvArgs = new StringBuilder();
        try (Dataset data = Datasets.open(Path.of("test-data"))) {
            ModelConfig config = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem())
                    .withDimE(8).withHiddenDim(16).withDevice(Device.CPU).withNumThreads(1).withSeed(5);
            try (ClcrecModel model = ClcrecModel.create(config, data.content())) {
                model.save(ckpt);
            }
            for (FeatureMatrix m : data.content().modalities()) {
                Path npy = tmp.resolve("rows_" + m.name() + ".npy");
                Path csv = tmp.resolve("rows_" + m.name() + ".csv");
                // rows from the middle of the matrix, so that no row of the output can be right by accident
                long first = 17;
                NpyWriter.writeFloats(npy, m.data().asSlice(first * m.cols() * Float.BYTES, ROWS * m.cols() * Float.BYTES),
                        ROWS, m.cols());
                StringBuilder text = new StringBuilder();
                for (long r = first; r < first + ROWS; r++) {
                    for (long c = 0; c < m.cols(); c++) {
                        text.append(c > 0 ? "," : "").append(m.data().getAtIndex(ValueLayout.JAVA_FLOAT, r * m.cols() + c));
                    }
                    text.append('\n');
                }
                java.nio.file.Files.writeString(csv, text);
                npyArgs.append(npyArgs.isEmpty() ? "" : ",").append(m.name()).append('=').append(npy);
                csvArgs.append(csvArgs.isEmpty() ? "" : ",").append(m.name()).append('=').append(csv);
            }
        }
        float[] fromNpy = embed(ckpt, npyArgs.toString(), tmp.resolve("from_npy.npy"));
        float[] fromCsv = embed(ckpt, csvArgs.toString(), tmp.resolve("from_csv.npy"));
        assertEquals(ROWS * 8, fromNpy.length);
        assertArrayEquals(fromNpy, fromCsv, "CSV and .npy of the same rows");
        float[] firstRow = java.util.Arrays.copyOf(fromNpy, 8);
        for (int r = 1; r < ROWS; r++) {
            assertFalse(java.util.Arrays.equals(firstRow, java.util.Arrays.copyOfRange(fromNpy, r * 8, r * 8 + 8)),
                    "distinct rows embed differently");
        }
    }

    private float[] embed(Path ckpt, String featureArgs, Path out) {
        StringWriter stderr = new StringWriter();
        int code = Main.run(new String[] {"embed-items", "--data_path", "test-data", "--model", ckpt.toString(),
                "--features", featureArgs, "--threads", "1", "--no-cuda", "-o", out.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(stderr, true));
        assertEquals(0, code, "stderr: " + stderr);
        try (Arena arena = Arena.ofConfined()) {
            return NpyFile.map(out, arena).data().toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    @Test
    void nanInTheNewItemsFeaturesNamesFileRowAndColumn() throws Exception {
        Path ckpt = tmp.resolve("model.ckpt");
        StringBuilder args = new StringBuilder();
        Path poisoned = null;
        try (Dataset data = Datasets.open(Path.of("test-data"))) {
            ModelConfig config = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem())
                    .withDimE(8).withHiddenDim(16).withDevice(Device.CPU).withNumThreads(1).withSeed(5);
            try (ClcrecModel model = ClcrecModel.create(config, data.content())) {
                model.save(ckpt);
            }
            for (FeatureMatrix m : data.content().modalities()) {
                float[] rows = m.data().asSlice(0, ROWS * m.cols() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                Path file = tmp.resolve("nan_" + m.name() + ".npy");
                if (poisoned == null) {
                    rows[(int) (2 * m.cols() + 7)] = Float.NaN;
                    poisoned = file;
                }
                NpyWriter.writeFloats(file, rows, ROWS, m.cols());
                args.append(args.isEmpty() ? "" : ",").append(m.name()).append('=').append(file);
            }
        }
        StringWriter stderr = new StringWriter();
        int code = Main.run(new String[] {"embed-items", "--data_path", "test-data", "--model", ckpt.toString(),
                "--features", args.toString(), "--threads", "1", "--no-cuda", "-o", tmp.resolve("o.npy").toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(stderr, true));
        assertEquals(1, code);
        assertTrue(stderr.toString().contains(poisoned.toString()) && stderr.toString().contains("row 2, column 7"),
                stderr.toString());
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
