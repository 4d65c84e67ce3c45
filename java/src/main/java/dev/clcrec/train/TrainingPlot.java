package dev.clcrec.train;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A PNG of the training loss and the validation recall per epoch. */
public final class TrainingPlot {
    private TrainingPlot() {}

    public static void writePng(Path file, List<EpochRecord> history, int k) {
        if (history.isEmpty()) {
            return;
        }
        // XChart draws with AWT; a server has no display.
        System.setProperty("java.awt.headless", "true");
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        double[] loss = history.stream().mapToDouble(EpochRecord::loss).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(500).title("CLCRec training")
                .xAxisTitle("epoch").yAxisTitle("value").build();
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        XYSeries l = chart.addSeries("training loss (left)", epochs, loss);
        l.setMarker(SeriesMarkers.CIRCLE);
        for (Setting s : Setting.values()) {
            boolean present = history.getFirst().eval().entries().stream()
                    .anyMatch(m -> m.split() == Split.VAL && m.setting() == s);
            if (!present) {
                continue;
            }
            double[] recall = history.stream()
                    .mapToDouble(r -> r.eval().get(Split.VAL, s).at(k).recall()).toArray();
            XYSeries r = chart.addSeries("val " + s.name().toLowerCase() + " Recall@" + k + " (right)", epochs, recall);
            r.setYAxisGroup(1);
            r.setMarker(SeriesMarkers.DIAMOND);
        }
        chart.setYAxisGroupTitle(0, "loss");
        chart.setYAxisGroupTitle(1, "recall");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }
}
