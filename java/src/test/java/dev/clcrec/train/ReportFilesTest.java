package dev.clcrec.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    static List<EpochRecord> history() {
        return List.of(
                new EpochRecord(0, 2.5, 2.0, 3.0, 1.0, 0.9, 10, 1.5, 0.01, 1.4, 0.2, TrainingStateTest.eval(0.1)),
                new EpochRecord(1, 2.0, 1.8, 2.2, 0.9, 0.8, 10, 1.4, 0.01, 1.3, 0.2, TrainingStateTest.eval(0.2)));
    }

    @Test
    void csvHasOneRowPerEpochWithMetrics(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("e.csv");
        ResultsFiles.writeCsv(csv, history());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("epoch,loss,loss_re"));
        assertTrue(lines.get(0).contains("val_all_recall@10"));
        String[] header = lines.get(0).split(",");
        String[] row = lines.get(2).split(",");
        assertEquals(header.length, row.length);
        int col = List.of(header).indexOf("val_all_recall@10");
        assertEquals(0.2, Double.parseDouble(row[col]), 1e-9);
        assertEquals("1", row[0]);
    }

    @Test
    void jsonAndPlotAndTable(@TempDir Path dir) throws Exception {
        List<EpochRecord> h = history();
        TrainingResult r = new TrainingResult(h.get(1), h, StopReason.EPOCH_LIMIT, "done");
        Path json = dir.resolve("r.json");
        ResultsFiles.writeJson(json, Map.of("seed", 1), r, Map.of());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals(1, tree.get("best").get("epoch").asInt());
        assertEquals("EPOCH_LIMIT", tree.get("stop_reason").asText());
        assertEquals(2, tree.get("history").size());

        Path png = dir.resolve("plot.png");
        TrainingPlot.writePng(png, h, 10);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);

        String table = ResultsTable.of("best", h.get(1).eval());
        assertTrue(table.contains("val   all"), table);
        assertTrue(table.contains("0.20000"), table);
        assertTrue(table.contains("R@20"), table);
    }
}
