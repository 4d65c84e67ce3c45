package dev.clcrec.tune;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG with a scatter plot per searched hyper-parameter: each trial's selection value against
 * its value of that parameter (completed and early-stopped trials apart), in a grid.
 */
public final class TunePlot {
    private static final int W = 480;
    private static final int H = 360;

    private TunePlot() {}

    public static void writePng(Path file, SearchSpace space, List<Trial> trials, String valueName) {
        System.setProperty("java.awt.headless", "true");
        List<Param> params = space.params();
        int cols = Math.min(3, params.size());
        int rows = (params.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * W, rows * H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            XYChart chart = new XYChartBuilder().width(W).height(H).title(p.name()).xAxisTitle(p.name())
                    .yAxisTitle(valueName).build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setXAxisLogarithmic(p.logScale());
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
            chart.getStyler().setYAxisDecimalPattern("0.0000");
            if (!p.logScale()) {
                chart.getStyler().setXAxisDecimalPattern("0.###");
            }
            boolean any = false;
            for (TrialStatus st : new TrialStatus[] {TrialStatus.COMPLETED, TrialStatus.PRUNED}) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (Trial t : trials) {
                    Double v = t.params().get(p.name());
                    if (t.status() == st && t.value() != null && v != null) {
                        x.add(v);
                        y.add(t.value());
                    }
                }
                if (!x.isEmpty()) {
                    XYSeries s = chart.addSeries(st == TrialStatus.COMPLETED ? "completed" : "stopped early", x, y);
                    s.setMarker(st == TrialStatus.COMPLETED ? SeriesMarkers.CIRCLE : SeriesMarkers.CROSS);
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            Graphics2D cell = (Graphics2D) g.create((i % cols) * W, (i / cols) * H, W, H);
            chart.paint(cell, W, H);
            cell.dispose();
        }
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }
}
