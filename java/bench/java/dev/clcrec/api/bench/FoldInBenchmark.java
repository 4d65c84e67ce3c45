package dev.clcrec.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommendations;
import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.engine.Device;
import dev.clcrec.eval.MetricAccumulator;
import dev.clcrec.eval.MetricValues;
import dev.clcrec.state.Interaction;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fold-in accuracy and cost on a real dataset (not product code). Two modes:
 * <pre>
 *   split DATA OUT SEED FRACTION
 *       picks FRACTION of DATA's users at random (seeded) and writes OUT: DATA without them (users
 *       renumbered; items, the warm/cold split and every other user's train/val/test pairs
 *       unchanged) in our layout, plus OUT/held_out_users.tsv (their external ids)
 *   evaluate DATA HELD_OUT_USERS BUNDLE_A BUNDLE_B RATINGS_CSV OUT_JSON [URL]
 *       for each held-out user: test Recall/NDCG@10,20 (all, warm and cold items) from model A, which
 *       trained with them ({@code recommendations(id, k, filter)}: their training items excluded), and
 *       from model B, which did not, after recording their training interactions (timestamps from
 *       RATINGS_CSV) through {@code recordInteractions}: B folds them in (a new user is fitted on
 *       their first read). Times that call and the next two recommendations calls (the first, which
 *       fits, also in thread CPU). With URL
 *       (a {@code clcrec serve --model BUNDLE_B --state DIR}; its write token in the environment
 *       variable CLCREC_TOKEN, if it has one), does the same over HTTP
 *       ({@code POST /v1/interactions}, {@code GET /v1/users/{id}/recommendations}) and checks the
 *       lists equal the in-process ones.
 *   pool JSON...
 *       the held-out users of several evaluate runs (several seeds) pooled: means, ratios and
 *       bootstrap intervals over all of them
 * </pre>
 * Metrics are the evaluator's (MetricAccumulator): full-catalog ranking (restricted to warm or cold
 * items for those settings) with the user's training items excluded, users without held-out items in
 * a setting not counted.
 */
public final class FoldInBenchmark {
    private static final int[] KS = {10, 20};
    private static final int K = 20;

    private FoldInBenchmark() {}

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "split" -> split(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
                    Double.parseDouble(args[4]));
            case "evaluate" -> evaluate(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]),
                    Path.of(args[5]), Path.of(args[6]), args.length > 7 ? args[7] : null);
            case "pool" -> pool(Arrays.stream(args, 1, args.length).map(Path::of).toList());
            default -> throw new IllegalArgumentException("usage: split DATA OUT SEED FRACTION | evaluate DATA "
                    + "HELD_OUT_USERS BUNDLE_A BUNDLE_B RATINGS_CSV OUT_JSON [URL] | pool JSON...");
        }
    }

    // ---- split ---------------------------------------------------------------------------------

    private static void split(Path data, Path out, long seed, double fraction) throws IOException {
        try (Dataset d = Datasets.open(data)) {
            IdMapping ids = d.ids().orElseThrow(() -> new IllegalArgumentException(data + " has no id mapping"));
            int n = d.numUser();
            int heldCount = (int) Math.round(fraction * n);
            // A seeded Fisher-Yates prefix: the first heldCount users of a permutation.
            int[] perm = new int[n];
            Arrays.setAll(perm, i -> i);
            Random r = new Random(seed);
            for (int i = 0; i < heldCount; i++) {
                int j = i + r.nextInt(n - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            boolean[] held = new boolean[n];
            for (int i = 0; i < heldCount; i++) {
                held[perm[i]] = true;
            }
            int[] kept = new int[n - heldCount];
            List<String> keptIds = new ArrayList<>();
            List<String> heldIds = new ArrayList<>();
            for (int u = 0, m = 0; u < n; u++) {
                if (held[u]) {
                    heldIds.add(ids.externalUser(u));
                } else {
                    kept[m++] = u;
                    keptIds.add(ids.externalUser(u));
                }
            }
            Map<Split, Map<Setting, Interactions>> heldOut = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                heldOut.put(s, Dataset.bySetting(rows(d.heldOut(s, Setting.ALL), kept), d.numWarmItem(), d.numItem()));
            }
            Dataset b = Dataset.create(out.toString(), d.name() + "-without-" + heldCount + "-users", kept.length,
                    d.numItem(), d.numWarmItem(), rows(d.train(), kept), heldOut, d.content(),
                    new IdMapping(keptIds, ids.itemIds()), null, false);
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("kind", "fold-in benchmark: users held out");
            source.put("input", data.toAbsolutePath().toString());
            source.put("seed", seed);
            source.put("held_out_users", heldCount);
            LayoutWriter.write(b, out, source);
            Files.write(out.resolve("held_out_users.tsv"), heldIds);
            System.out.printf(Locale.ROOT, "wrote %s: %s; %d users held out (seed %d) in %s%n", out, b, heldCount,
                    seed, out.resolve("held_out_users.tsv"));
        }
    }

    /** The rows {@code keep} of {@code x}, in that order. */
    private static Interactions rows(Interactions x, int[] keep) {
        long[] offsets = new long[keep.length + 1];
        for (int i = 0; i < keep.length; i++) {
            offsets[i + 1] = offsets[i] + x.rowLength(keep[i]);
        }
        int[] columns = new int[Math.toIntExact(offsets[keep.length])];
        for (int i = 0; i < keep.length; i++) {
            int[] row = x.row(keep[i]);
            System.arraycopy(row, 0, columns, (int) offsets[i], row.length);
        }
        return new Interactions(keep.length, offsets, columns);
    }

    // ---- evaluate ------------------------------------------------------------------------------

    /** One user's top-K lists, by setting, as dense item ids. */
    private record Lists(Map<Setting, long[]> bySetting) {}

    private static void evaluate(Path data, Path heldOutFile, Path bundleA, Path bundleB, Path ratingsCsv,
                                 Path outJson, String url) throws Exception {
        List<String> heldOut = Files.readAllLines(heldOutFile).stream().filter(s -> !s.isBlank()).toList();
        Map<String, Long> timestamps = timestamps(ratingsCsv);
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        report.put("data", data.toString());
        report.put("held_out_users", heldOut.size());
        try (Dataset d = Datasets.open(data)) {
            IdMapping ids = d.ids().orElseThrow(() -> new IllegalArgumentException(data + " has no id mapping"));
            int[] dense = heldOut.stream().mapToInt(u -> ids.denseUser(u).orElseThrow(
                    () -> new IllegalArgumentException("held-out user '" + u + "' is not in " + data))).toArray();
            // The held-out users' training interactions, oldest first (ratings.csv order breaks ties).
            List<List<Interaction>> training = new ArrayList<>();
            long pairs = 0;
            for (int i = 0; i < dense.length; i++) {
                List<Interaction> l = new ArrayList<>();
                for (int item : d.train().row(dense[i])) {
                    String itemId = ids.externalItem(item);
                    Long ts = timestamps.get(heldOut.get(i) + "\t" + itemId);
                    l.add(new Interaction(heldOut.get(i), itemId, ts == null ? 0 : ts));
                }
                l.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
                training.add(l);
                pairs += l.size();
            }
            report.put("training_interactions_sent", pairs);

            Map<String, Lists> listsA = new HashMap<>();
            try (Recommender a = Recommender.open(bundleA, Device.CPU, 1)) {
                for (String u : heldOut) {
                    Recommendations r = a.recommendations(u, 1, ItemFilter.ALL);
                    if (r.basis() != Recommendations.Basis.MODEL) {
                        throw new IllegalStateException("user " + u + " is not a model user of " + bundleA);
                    }
                    listsA.put(u, lists(a, u, ids));
                }
            }
            Map<String, Lists> listsB = new HashMap<>();
            long[] firstNanos = new long[dense.length];
            long[] rankNanos = new long[dense.length];
            long[] recordNanos = new long[dense.length];
            long[] firstCpuNanos = new long[dense.length];
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            try (Recommender b = Recommender.open(bundleB, Device.CPU, 1)) {
                // JIT warm-up on users nobody holds out, so the first timed fold-in is not the slowest.
                for (int w = 0; w < 20; w++) {
                    String ghost = "warm-up-" + w;
                    b.recordInteractions(training.get(w % training.size()).stream()
                            .map(x -> new Interaction(ghost, x.item(), x.timestamp())).toList());
                    b.recommendations(ghost, 10, ItemFilter.ALL);
                }
                for (int i = 0; i < dense.length; i++) {
                    String u = heldOut.get(i);
                    if (b.recommendations(u, 1, ItemFilter.ALL).basis() != Recommendations.Basis.POPULAR) {
                        throw new IllegalStateException("held-out user " + u + " is known to " + bundleB);
                    }
                    long t0 = System.nanoTime();
                    long rejected = b.recordInteractions(training.get(i)).stream().filter(o -> !o.recorded()).count();
                    long t1 = System.nanoTime();
                    if (rejected > 0) {
                        throw new IllegalStateException(rejected + " interactions of " + u + " were refused");
                    }
                    long c1 = cpu.getCurrentThreadCpuTime();
                    Recommendations first = b.recommendations(u, 10, ItemFilter.ALL);
                    long t2 = System.nanoTime();
                    firstCpuNanos[i] = cpu.getCurrentThreadCpuTime() - c1;
                    b.recommendations(u, 10, ItemFilter.ALL);
                    long t3 = System.nanoTime();
                    if (first.basis() != Recommendations.Basis.FOLD_IN) {
                        throw new IllegalStateException("user " + u + " was answered from " + first.basis());
                    }
                    recordNanos[i] = t1 - t0;
                    firstNanos[i] = t2 - t1;
                    rankNanos[i] = t3 - t2;
                    listsB.put(u, lists(b, u, ids));
                }
            }
            ObjectNode metrics = report.putObject("metrics");
            System.out.printf(Locale.ROOT, "%d held-out users, %d training interactions recorded%n", heldOut.size(),
                    pairs);
            System.out.printf(Locale.ROOT, "%-6s %-4s %5s  %-17s %-17s %s%n", "items", "K", "users", "A (in training)",
                    "B (folded in)", "ratio B/A [95% bootstrap]");
            for (Setting s : Setting.values()) {
                Interactions test = d.heldOut(Split.TEST, s);
                for (int k : KS) {
                    double[][] perUser = new double[4][dense.length]; // recall A, B; ndcg A, B
                    boolean[] counted = new boolean[dense.length];
                    MetricAccumulator accA = new MetricAccumulator(KS);
                    MetricAccumulator accB = new MetricAccumulator(KS);
                    for (int i = 0; i < dense.length; i++) {
                        int[] pos = test.row(dense[i]);
                        if (pos.length == 0) {
                            continue;
                        }
                        counted[i] = true;
                        long[] la = listsA.get(heldOut.get(i)).bySetting().get(s);
                        long[] lb = listsB.get(heldOut.get(i)).bySetting().get(s);
                        accA.add(la, 0, K, pos, 0, pos.length);
                        accB.add(lb, 0, K, pos, 0, pos.length);
                        MetricValues va = one(la, pos).get(k);
                        MetricValues vb = one(lb, pos).get(k);
                        perUser[0][i] = va.recall();
                        perUser[1][i] = vb.recall();
                        perUser[2][i] = va.ndcg();
                        perUser[3][i] = vb.ndcg();
                    }
                    MetricValues ma = accA.averages().get(k);
                    MetricValues mb = accB.averages().get(k);
                    double[] ciR = bootstrapRatio(perUser[0], perUser[1], counted);
                    double[] ciN = bootstrapRatio(perUser[2], perUser[3], counted);
                    ObjectNode m = metrics.putObject(s.name().toLowerCase(Locale.ROOT) + "@" + k);
                    m.put("users", accA.users());
                    m.put("recall_a", ma.recall());
                    m.put("recall_b", mb.recall());
                    m.put("recall_ratio", mb.recall() / ma.recall());
                    m.put("recall_ratio_ci_low", ciR[0]);
                    m.put("recall_ratio_ci_high", ciR[1]);
                    m.put("ndcg_a", ma.ndcg());
                    m.put("ndcg_b", mb.ndcg());
                    m.put("ndcg_ratio", mb.ndcg() / ma.ndcg());
                    m.put("ndcg_ratio_ci_low", ciN[0]);
                    m.put("ndcg_ratio_ci_high", ciN[1]);
                    String[] names = {"recall_a", "recall_b", "ndcg_a", "ndcg_b"};
                    ObjectNode pu = m.putObject("per_user");
                    for (int v = 0; v < names.length; v++) {
                        ArrayNode arr = pu.putArray(names[v]);
                        for (int i = 0; i < dense.length; i++) {
                            if (counted[i]) {
                                arr.add(perUser[v][i]);
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "%-6s R@%-2d %5d  %.4f            %.4f            %.3f [%.3f, %.3f]%n",
                            s.name().toLowerCase(Locale.ROOT), k, accA.users(), ma.recall(), mb.recall(),
                            mb.recall() / ma.recall(), ciR[0], ciR[1]);
                    System.out.printf(Locale.ROOT, "%-6s N@%-2d %5d  %.4f            %.4f            %.3f [%.3f, %.3f]%n",
                            s.name().toLowerCase(Locale.ROOT), k, accA.users(), ma.ndcg(), mb.ndcg(),
                            mb.ndcg() / ma.ndcg(), ciN[0], ciN[1]);
                }
            }
            ObjectNode timing = report.putObject("timing_ms");
            putPercentiles(timing, "record", recordNanos);
            putPercentiles(timing, "first_recommendations_with_fit", firstNanos);
            putPercentiles(timing, "first_recommendations_with_fit_cpu", firstCpuNanos);
            putPercentiles(timing, "second_recommendations", rankNanos);
            System.out.printf(Locale.ROOT, "in-process, per user: recordInteractions of all their training items (in "
                            + "memory) p50 %.3f / p99 %.3f ms; the first recommendations(k=10) after it (fits the new "
                            + "user, then ranks) p50 %.3f / p99 %.3f ms wall, p50 %.3f / p99 %.3f ms CPU of the calling "
                            + "thread; the second (ranking only) p50 %.3f / p99 %.3f ms%n",
                    pct(recordNanos, 0.5), pct(recordNanos, 0.99), pct(firstNanos, 0.5), pct(firstNanos, 0.99),
                    pct(firstCpuNanos, 0.5), pct(firstCpuNanos, 0.99), pct(rankNanos, 0.5), pct(rankNanos, 0.99));
            if (url != null) {
                http(url, heldOut, training, listsB, ids, report.putObject("http"));
            }
            ArrayNode users = report.putArray("users");
            heldOut.forEach(users::add);
            json.writerWithDefaultPrettyPrinter().writeValue(outJson.toFile(), report);
            System.out.println("wrote " + outJson);
        }
    }

    private static void pool(List<Path> reports) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (Path p : reports) {
            nodes.add(json.readTree(p.toFile()));
        }
        System.out.printf(Locale.ROOT, "pooled over %d runs (%s)%n", nodes.size(), reports);
        System.out.printf(Locale.ROOT, "%-6s %-4s %5s  %-17s %-17s %s%n", "items", "K", "users", "A (in training)",
                "B (folded in)", "ratio B/A [95% bootstrap]");
        for (Setting s : Setting.values()) {
            for (int k : KS) {
                String key = s.name().toLowerCase(Locale.ROOT) + "@" + k;
                for (String metric : new String[] {"recall", "ndcg"}) {
                    List<Double> a = new ArrayList<>();
                    List<Double> b = new ArrayList<>();
                    for (JsonNode n : nodes) {
                        n.path("metrics").path(key).path("per_user").path(metric + "_a").forEach(x -> a.add(x.asDouble()));
                        n.path("metrics").path(key).path("per_user").path(metric + "_b").forEach(x -> b.add(x.asDouble()));
                    }
                    double[] av = a.stream().mapToDouble(Double::doubleValue).toArray();
                    double[] bv = b.stream().mapToDouble(Double::doubleValue).toArray();
                    boolean[] all = new boolean[av.length];
                    Arrays.fill(all, true);
                    double ma = Arrays.stream(av).average().orElse(Double.NaN);
                    double mb = Arrays.stream(bv).average().orElse(Double.NaN);
                    double[] ci = bootstrapRatio(av, bv, all);
                    System.out.printf(Locale.ROOT, "%-6s %s@%-2d %5d  %.4f            %.4f            %.3f [%.3f, %.3f]%n",
                            s.name().toLowerCase(Locale.ROOT), metric.equals("recall") ? "R" : "N", k, av.length, ma,
                            mb, mb / ma, ci[0], ci[1]);
                }
            }
        }
    }

    /** Top-K per setting for user {@code u}, as the dataset's dense item ids. */
    private static Lists lists(Recommender rec, String u, IdMapping ids) {
        Map<Setting, long[]> m = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            List<Recommendation> items = rec.recommendations(u, K, ItemFilter.valueOf(s.name())).items();
            m.put(s, denseList(items.stream().map(Recommendation::itemId).toList(), ids));
        }
        return new Lists(m);
    }

    private static long[] denseList(List<String> itemIds, IdMapping ids) {
        long[] out = new long[K];
        Arrays.fill(out, -1);
        for (int i = 0; i < itemIds.size() && i < K; i++) {
            String id = itemIds.get(i);
            out[i] = ids.denseItem(id).orElseThrow(() -> new IllegalStateException("item '" + id
                    + "' is not in the dataset"));
        }
        return out;
    }

    private static Map<Integer, MetricValues> one(long[] ranked, int[] positives) {
        MetricAccumulator acc = new MetricAccumulator(KS);
        acc.add(ranked, 0, K, positives, 0, positives.length);
        return acc.averages();
    }

    /** 95 % percentile bootstrap interval of mean(b) / mean(a) over the counted users (seed 7). */
    private static double[] bootstrapRatio(double[] a, double[] b, boolean[] counted) {
        int[] idx = java.util.stream.IntStream.range(0, a.length).filter(i -> counted[i]).toArray();
        if (idx.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random r = new Random(7);
        int reps = 10_000;
        double[] ratios = new double[reps];
        for (int t = 0; t < reps; t++) {
            double sa = 0;
            double sb = 0;
            for (int j = 0; j < idx.length; j++) {
                int i = idx[r.nextInt(idx.length)];
                sa += a[i];
                sb += b[i];
            }
            ratios[t] = sa == 0 ? Double.NaN : sb / sa;
        }
        double[] finite = Arrays.stream(ratios).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {finite[(int) (0.025 * (finite.length - 1))], finite[(int) (0.975 * (finite.length - 1))]};
    }

    /** "user\titem" -> timestamp from a MovieLens ratings.csv (userId,movieId,rating,timestamp). */
    private static Map<String, Long> timestamps(Path csv) throws IOException {
        Map<String, Long> out = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length >= 4) {
                out.put(f[0] + "\t" + f[1], Long.parseLong(f[3].trim()));
            }
        }
        return out;
    }

    private static void putPercentiles(ObjectNode node, String name, long[] nanos) {
        node.put(name + "_p50", pct(nanos, 0.5));
        node.put(name + "_p90", pct(nanos, 0.9));
        node.put(name + "_p99", pct(nanos, 0.99));
        node.put(name + "_max", pct(nanos, 1.0));
    }

    private static double pct(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(p * s.length) - 1))] / 1e6;
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private static void http(String url, List<String> heldOut, List<List<Interaction>> training,
                             Map<String, Lists> inProcess, IdMapping ids, ObjectNode out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = System.getenv("CLCREC_TOKEN"); // the server's write token, if it has one
        long[] postNanos = new long[heldOut.size()];
        long[] firstNanos = new long[heldOut.size()];
        int differing = 0;
        for (int i = 0; i < heldOut.size(); i++) {
            String u = heldOut.get(i);
            ObjectNode body = json.createObjectNode();
            ArrayNode arr = body.putArray("interactions");
            for (Interaction x : training.get(i)) {
                arr.addObject().put("user", x.user()).put("item", x.item()).put("timestamp", x.timestamp());
            }
            long t0 = System.nanoTime();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + "/v1/interactions"))
                    .header("Content-Type", "application/json");
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> post = client.send(req
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            JsonNode posted = json.readTree(post.body());
            if (post.statusCode() != 200 || posted.path("rejected").asInt(-1) != 0) {
                throw new IllegalStateException("POST /v1/interactions for " + u + ": " + post.statusCode() + " "
                        + post.body());
            }
            Map<Setting, long[]> lists = new EnumMap<>(Setting.class);
            for (Setting s : Setting.values()) {
                String path = url + "/v1/users/" + URLEncoder.encode(u, StandardCharsets.UTF_8)
                        + "/recommendations?k=" + K + "&items=" + s.name().toLowerCase(Locale.ROOT);
                long s0 = System.nanoTime();
                HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (s == Setting.ALL) {
                    firstNanos[i] = System.nanoTime() - s0;
                }
                JsonNode r = json.readTree(get.body());
                if (get.statusCode() != 200 || !"fold_in".equals(r.path("basis").asText())) {
                    throw new IllegalStateException("GET " + path + ": " + get.statusCode() + " " + get.body());
                }
                List<String> items = new ArrayList<>();
                r.path("items").forEach(n -> items.add(n.path("id").asText()));
                lists.put(s, denseList(items, ids));
            }
            postNanos[i] = t1 - t0;
            for (Setting s : Setting.values()) {
                if (!Arrays.equals(lists.get(s), inProcess.get(u).bySetting().get(s))) {
                    differing++;
                    break;
                }
            }
        }
        out.put("users", heldOut.size());
        out.put("users_whose_lists_differ_from_in_process", differing);
        putPercentiles(out, "post_interactions", postNanos);
        putPercentiles(out, "first_get_recommendations", firstNanos);
        System.out.printf(Locale.ROOT, "over HTTP (%s): %d users, POST /v1/interactions (one request a user, journaled "
                        + "with fsync) p50 %.2f / p99 %.2f ms; the first GET recommendations after it (fits the user)"
                        + " p50 %.2f / "
                        + "p99 %.2f ms; users whose top-%d lists differ from in-process: %d%n", url, heldOut.size(),
                pct(postNanos, 0.5), pct(postNanos, 0.99), pct(firstNanos, 0.5), pct(firstNanos, 0.99), K, differing);
        if (differing > 0) {
            throw new IllegalStateException(differing + " users got different lists over HTTP than in-process");
        }
    }
}
