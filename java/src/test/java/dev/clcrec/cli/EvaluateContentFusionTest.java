package dev.clcrec.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.train.SyntheticData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --content-fusion}: rows of the model with each content baseline's evidence added. */
class EvaluateContentFusionTest {
    @Test
    void weightZeroRanksAsTheModelAndEachBaselineGetsARowPerWeight(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (Dataset d = SyntheticData.create(40, 60, 45, 4, 8, 2, false)) {
            LayoutWriter.write(d, data, Map.of());
        }
        Path out = tmp.resolve("out");
        MainTest.Run train = MainTest.run("train", "--data_path", data.toString(), "--num_epoch", "2",
                "--batch_size", "32", "--num_neg", "8", "--dim_E", "8", "--step", "50", "--threads", "1",
                "--no-cuda", "--out", out.toString());
        assertEquals(0, train.code(), train.out() + train.err());

        MainTest.Run r = MainTest.run("evaluate", "--data_path", data.toString(), "--model",
                out.resolve("best.ckpt").toString(), "--no-cuda", "--threads", "1", "--content-fusion", "0,2.5");
        assertEquals(0, r.code(), r.out() + r.err());
        for (String row : new String[] {"CLCRec + content-kNN x0.0", "CLCRec + content-kNN x2.5",
                "CLCRec + content-profile x0.0", "CLCRec + content-profile x2.5"}) {
            assertEquals(6, r.out().lines().filter(l -> l.startsWith(row + " ")).count(), row + " in\n" + r.out());
        }
        // Warm items keep the model's scores at any weight.
        double[] warm = metrics(r.out(), "CLCRec", "warm");
        assertArrayEquals(warm, metrics(r.out(), "CLCRec + content-profile x2.5", "warm"), 0.02, r.out());
        // Weight 0 is the model's own ranking (Java dot products against the native top-K: equal but
        // for float rounding between near ties, so the metrics agree closely, not bit for bit).
        for (String setting : new String[] {"all", "warm", "cold"}) {
            double[] model = metrics(r.out(), "CLCRec", setting);
            double[] fused = metrics(r.out(), "CLCRec + content-kNN x0.0", setting);
            for (int c = 0; c < model.length; c++) {
                assertEquals(model[c], fused[c], 0.02, setting + " column " + c + "\n" + r.out());
            }
        }
    }

    // The test rows' numbers of one model and setting: "MODEL  test  SETTING  users  P@10 R@10 ...".
    private static double[] metrics(String table, String model, String setting) {
        String line = table.lines().filter(l -> l.startsWith(model + " ")
                        && l.substring(model.length()).trim().startsWith("test") && l.contains(" " + setting + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no test " + setting + " row of " + model + "\n" + table));
        String[] f = line.substring(model.length()).trim().split("\\s+");
        return Arrays.stream(f, 3, f.length).mapToDouble(Double::parseDouble).toArray();
    }
}
