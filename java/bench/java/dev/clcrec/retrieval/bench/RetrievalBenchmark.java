package dev.clcrec.retrieval.bench;

import dev.clcrec.retrieval.ClusteredVectors;
import dev.clcrec.retrieval.ColumnScan;
import dev.clcrec.retrieval.GraphSpace;
import dev.clcrec.retrieval.Hits;
import dev.clcrec.retrieval.HnswConfig;
import dev.clcrec.retrieval.HnswIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Approximate-retrieval benchmarks (not product code), one thread, on a generated clustered catalog
 * ({@link ClusteredVectors}, dim 64):
 * <pre>
 *   run ITEMS USERS EF1,EF2,.. SPACE M BEAM CSV   build the index, then recall@10 against the exact scan
 *                                               and in-process p50/p99 latency per efSearch, the exact
 *                                               scan's latency, build time, heap per item, add latency
 *                                               and the time of merging a full tail; rows appended to CSV
 *   plot CSV PNG                                recall@10 against p50 latency, one series per catalog size
 *   filtered ITEMS USERS COLD THRESHOLD OVERSAMPLE  recall@10 and latency with the last COLD fraction of the
 *                                               rows accepted (the cold filter) and with the others (warm),
 *                                               Lucene's filtered-search threshold and oversampling as given
 * </pre>
 */
public final class RetrievalBenchmark {
    private static final int K = 10;
    private static final int DIM = 64;

    private RetrievalBenchmark() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "run" -> run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray(),
                    GraphSpace.valueOf(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), Path.of(args[7]));
            case "plot" -> plot(Path.of(args[1]), Path.of(args[2]));
            case "filtered" -> filtered(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                    Integer.parseInt(args[4]), Boolean.parseBoolean(args[5]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void run(int items, int users, int[] efs, GraphSpace space, int m, int beam, Path csv) throws Exception {
        ClusteredVectors gen = new ClusteredVectors(DIM, 1);
        float[][] rows = new float[items][];
        for (int i = 0; i < items; i++) {
            rows[i] = gen.item(i);
        }
        float[][] queries = new float[users][];
        for (int u = 0; u < users; u++) {
            queries[u] = gen.user(u);
        }
        System.out.printf(Locale.ROOT, "generated %,d items and %,d users (dim %d); loadavg %s%n",
                items, users, DIM, loadavg());

        ColumnScan scan = new ColumnScan(rows);
        int[][] truth = new int[users][];
        for (int u = 0; u < Math.min(users, 300); u++) {
            scan.top(queries[u], K); // warm-up
        }
        long[] exactNs = new long[users];
        for (int u = 0; u < users; u++) {
            long t0 = System.nanoTime();
            truth[u] = scan.top(queries[u], K);
            exactNs[u] = System.nanoTime() - t0;
        }
        double[] exact = percentiles(exactNs);
        System.out.printf(Locale.ROOT, "exact scan: p50 %.3f ms, p99 %.3f ms%n", exact[0] / 1e6, exact[1] / 1e6);

        long heapBefore = usedHeapAfterGc();
        HnswConfig config = HnswConfig.DEFAULTS.withSpace(space).withGraph(m, beam);
        long b0 = System.nanoTime();
        HnswIndex index = HnswIndex.build(DIM, items, r -> rows[r], config);
        double buildS = (System.nanoTime() - b0) / 1e9;
        long heapAfter = usedHeapAfterGc();
        // rows must outlive the second measurement: once unused, the JIT lets the collector free them,
        // and the difference would then be the index less the caller's vectors
        java.lang.ref.Reference.reachabilityFence(rows);
        double bytesPerItem = (double) (heapAfter - heapBefore) / items;
        System.out.printf(Locale.ROOT, "build (%s, M %d, beam %d): %.1f s; heap +%.0f B/item (graph %.0f B/item by Lucene's estimate)%n",
                space, m, beam, buildS, bytesPerItem, (double) index.graphBytes() / items);

        List<String> lines = new ArrayList<>();
        String common = String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.1f,%.0f,%.4f,%.4f",
                today(), items, users, m, beam, buildS, bytesPerItem, exact[0] / 1e6, exact[1] / 1e6);
        for (int u = 0; u < Math.min(users, 300); u++) {
            index.search(queries[u], K, null, efs[efs.length - 1]); // warm-up
        }
        for (int ef : efs) {
            long[] ns = new long[users];
            double recall = 0;
            long visited = 0;
            for (int u = 0; u < users; u++) {
                long t0 = System.nanoTime();
                Hits h = index.search(queries[u], K, null, ef);
                ns[u] = System.nanoTime() - t0;
                recall += overlap(truth[u], h.rows()) / (double) truth[u].length;
                visited += h.visited();
            }
            double[] p = percentiles(ns);
            recall /= users;
            System.out.printf(Locale.ROOT, "  %s ef %4d: recall@10 %.4f  p50 %.3f ms  p99 %.3f ms  visited %.0f%n",
                    space, ef, recall, p[0] / 1e6, p[1] / 1e6, (double) visited / users);
            lines.add(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f,%.4f,%.0f",
                    common, space, ef, recall, p[0] / 1e6, p[1] / 1e6, (double) visited / users));
        }

        // Adds go to the exact tail (constant time); the merge that folds a full tail into the graph
        // runs beside the searches in production, timed here alone.
        int tail = config.tailLimit();
        long[] addNs = new long[tail];
        for (int i = 0; i < tail; i++) {
            float[] v = gen.item(items + i);
            long t0 = System.nanoTime();
            index.add(items + i, v);
            addNs[i] = System.nanoTime() - t0;
        }
        double[] a = percentiles(addNs);
        long[] tailNs = new long[Math.min(users, 2000)];
        for (int u = 0; u < tailNs.length; u++) {
            long t0 = System.nanoTime();
            index.search(queries[u], K, null);
            tailNs[u] = System.nanoTime() - t0;
        }
        double[] withTail = percentiles(tailNs);
        long m0 = System.nanoTime();
        index.merge();
        double mergeS = (System.nanoTime() - m0) / 1e9;
        System.out.printf(Locale.ROOT, "add: p50 %.1f us, p99 %.1f us; search with a full tail of %d: p50 %.3f ms, p99 %.3f ms;"
                        + " merging it into the graph: %.2f s%n",
                a[0] / 1e3, a[1] / 1e3, tail, withTail[0] / 1e6, withTail[1] / 1e6, mergeS);
        System.out.printf(Locale.ROOT, "loadavg at end %s%n", loadavg());

        boolean header = !Files.exists(csv);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            if (header) {
                w.println("date,items,users,M,beam,build_s,heap_bytes_per_item,exact_p50_ms,exact_p99_ms,space,ef,"
                        + "recall_at_10,p50_ms,p99_ms,visited");
            }
            lines.forEach(w::println);
        }
    }

    private static void filtered(int items, int users, double cold, int threshold, boolean oversample) throws Exception {
        ClusteredVectors gen = new ClusteredVectors(DIM, 1);
        float[][] rows = new float[items][];
        for (int i = 0; i < items; i++) {
            rows[i] = gen.item(i);
        }
        int firstCold = (int) Math.round(items * (1 - cold));
        HnswConfig config = HnswConfig.DEFAULTS.withFiltering(threshold, oversample);
        long b0 = System.nanoTime();
        HnswIndex index = HnswIndex.build(DIM, items, r -> rows[r], config);
        System.out.printf(Locale.ROOT, "%,d items, built in %.1f s; threshold %d, oversample %s; loadavg %s%n",
                items, (System.nanoTime() - b0) / 1e9, threshold, oversample, loadavg());
        for (String name : List.of("cold", "warm")) {
            java.util.function.IntPredicate accept = name.equals("cold") ? r -> r >= firstCold : r -> r < firstCold;
            for (int u = 0; u < Math.min(users, 200); u++) {
                index.search(gen.user(u), K, accept); // warm-up
            }
            long[] ns = new long[users];
            double recall = 0;
            int scanned = 0;
            for (int u = 0; u < users; u++) {
                float[] q = gen.user(u);
                int[] truth = exactTop(rows, q, accept);
                long t0 = System.nanoTime();
                Hits h = index.search(q, K, accept);
                ns[u] = System.nanoTime() - t0;
                recall += overlap(truth, h.rows()) / (double) truth.length;
                scanned += h.scanned() ? 1 : 0;
            }
            double[] p = percentiles(ns);
            System.out.printf(Locale.ROOT, "  %s filter: recall@10 %.4f  p50 %.3f ms  p99 %.3f ms  scanned %d/%d%n",
                    name, recall / users, p[0] / 1e6, p[1] / 1e6, scanned, users);
        }
    }

    private static int[] exactTop(float[][] rows, float[] q, java.util.function.IntPredicate accept) {
        int[] top = new int[K];
        float[] best = new float[K];
        int n = 0;
        for (int r = 0; r < rows.length; r++) {
            if (!accept.test(r)) {
                continue;
            }
            float s = 0f;
            for (int j = 0; j < q.length; j++) {
                s += q[j] * rows[r][j];
            }
            if (n == K && !(s > best[K - 1])) {
                continue;
            }
            int pos = n == K ? K - 1 : n++;
            while (pos > 0 && s > best[pos - 1]) {
                best[pos] = best[pos - 1];
                top[pos] = top[pos - 1];
                pos--;
            }
            best[pos] = s;
            top[pos] = r;
        }
        return Arrays.copyOf(top, n);
    }

    private static void plot(Path csv, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // XChart draws with AWT; no display here
        List<String> all = Files.readAllLines(csv);
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        Map<String, Double> exactP50 = new LinkedHashMap<>();
        for (String line : all.subList(1, all.size())) {
            String[] f = line.split(",");
            String name = String.format(Locale.ROOT, "%,d items, %s M%s", Integer.parseInt(f[1]), f[9], f[3]);
            series.computeIfAbsent(name, x -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[12]), Double.parseDouble(f[11]), Double.parseDouble(f[10])});
            exactP50.put(String.format(Locale.ROOT, "exact scan, %,d items", Integer.parseInt(f[1])), Double.parseDouble(f[7]));
        }
        XYChart chart = new XYChartBuilder().width(900).height(550).title("HNSW recall@10 vs latency over efSearch (dim 64, 1 thread)")
                .xAxisTitle("p50 latency per query (ms, log)").yAxisTitle("recall@10 vs exact").build();
        chart.getStyler().setXAxisLogarithmic(true);
        for (var e : series.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        for (var e : exactP50.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), new double[] {e.getValue()}, new double[] {1.0});
            s.setMarker(SeriesMarkers.DIAMOND);
        }
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png, e);
        }
    }

    private static int overlap(int[] truth, int[] got) {
        int n = 0;
        for (int t : truth) {
            for (int g : got) {
                if (g == t) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static double[] percentiles(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return new double[] {s[(int) (0.50 * (s.length - 1))], s[(int) (0.99 * (s.length - 1))]};
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return mem.getUsed();
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String today() {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    }
}
