package dev.clcrec.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommender;
import dev.clcrec.bundle.BundleWriter;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.IdMapping;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Serving benchmarks (not product code):
 * <pre>
 *   bundle DATA OUT                 an (untrained, dim 64) model over DATA written as a bundle at OUT
 *   inprocess BUNDLE SECONDS        bundle load time, RSS, then recommend(user, 10) latency, 1 and 2 threads
 *   http URL DATA SECONDS C1,C2,..  GET recommendations at each concurrency for SECONDS (virtual threads,
 *                                   java.net.http) while adding one item per second and checking it is
 *                                   recommendable
 *   adder URL DATA SECONDS PREFIX   only the item adder, for SECONDS (next to an external load generator)
 * </pre>
 */
public final class ServingBenchmark {
    private ServingBenchmark() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "bundle" -> bundle(Path.of(args[1]), Path.of(args[2]));
            case "inprocess" -> inProcess(Path.of(args[1]), Integer.parseInt(args[2]));
            case "http" -> http(args[1], Path.of(args[2]), Integer.parseInt(args[3]),
                    Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray());
            case "adder" -> adder(args[1], Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void bundle(Path data, Path out) {
        try (Dataset d = Datasets.open(data)) {
            ModelConfig c = ModelConfig.defaults(d.numUser(), d.numItem(), d.numWarmItem()).withDimE(64)
                    .withDevice(Device.CPU).withNumThreads(2);
            try (ClcrecModel m = ClcrecModel.create(c, d.content())) {
                List<String> users = d.ids().map(IdMapping::userIds)
                        .orElseGet(() -> IntStream.range(0, d.numUser()).mapToObj(Integer::toString).toList());
                List<String> items = d.ids().map(IdMapping::itemIds)
                        .orElseGet(() -> IntStream.range(0, d.numItem()).mapToObj(Integer::toString).toList());
                BundleWriter.write(out, m, d.content(), d.name(), users, items, d.train());
            }
            System.out.println("wrote " + out + " for " + d);
        }
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static void inProcess(Path bundle, int seconds) throws Exception {
        long rss0 = rssKb();
        long t0 = System.nanoTime();
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1)) {
            double load = (System.nanoTime() - t0) / 1e9;
            System.gc();
            System.out.printf(Locale.ROOT, "bundle load %.2f s; RSS %d MB before, %d MB after (%d users, %d items)%n",
                    load, rss0 / 1024, rssKb() / 1024, rec.numUsers(), rec.catalogSize());
            int users = rec.numUsers();
            Random r = new Random(1);
            for (int i = 0; i < 30_000; i++) { // JIT warm-up
                rec.recommend(r.nextInt(users), 10, ItemFilter.values()[i % 3]);
            }
            for (int threads : new int[] {1, 2}) {
                long[][] lat = new long[threads][];
                Thread[] ts = new Thread[threads];
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    ts[t] = new Thread(() -> {
                        Random rr = new Random(id);
                        long[] l = new long[4_000_000];
                        int n = 0;
                        long end = System.nanoTime() + seconds * 1_000_000_000L;
                        while (n < l.length) {
                            long s = System.nanoTime();
                            if (s > end) {
                                break;
                            }
                            rec.recommend(rr.nextInt(users), 10, ItemFilter.ALL);
                            l[n++] = System.nanoTime() - s;
                        }
                        lat[id] = Arrays.copyOf(l, n);
                    });
                    ts[t].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
                System.out.printf(Locale.ROOT, "in-process recommend(user, 10, ALL), %d thread(s), %d s: %d calls, "
                                + "%.0f calls/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms%n", threads, seconds, all.length,
                        all.length / (double) seconds, pct(all, 0.50) / 1e6, pct(all, 0.99) / 1e6, pct(all, 0.999) / 1e6);
            }
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void http(String url, Path data, int seconds, int[] concurrencies) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (Dataset d = Datasets.open(data)) {
            int users = d.numUser();
            List<String> userIds = d.ids().map(IdMapping::userIds)
                    .orElseGet(() -> IntStream.range(0, users).mapToObj(Integer::toString).toList());
            for (int conns : concurrencies) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong errors = new AtomicLong();
                java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
                AtomicLong addFailures = new AtomicLong();
                AtomicLong adds = new AtomicLong();
                Thread adder = Thread.ofVirtual().start(() -> addEverySecond(client, json, url, d, userIds, stop,
                        // a prefix of its own per run: a state directory may hold the ids of an earlier run
                        "bench-" + conns + "-" + Long.toString(System.currentTimeMillis(), 36) + "-", adds,
                        addFailures));
                List<Future<long[]>> results = new ArrayList<>();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < conns; c++) {
                        int seed = c;
                        results.add(pool.submit(() -> {
                            Random r = new Random(seed);
                            long[] l = new long[1 << 20];
                            int n = 0;
                            while (System.nanoTime() < end && n < l.length) {
                                long s = System.nanoTime();
                                try {
                                    HttpResponse<String> resp = get(client, url + "/v1/users/"
                                            + userIds.get(r.nextInt(users)) + "/recommendations?k=10");
                                    if (resp.statusCode() != 200) {
                                        errors.incrementAndGet();
                                        firstError.compareAndSet(null, "HTTP " + resp.statusCode() + ": " + resp.body());
                                    }
                                } catch (Exception e) {
                                    errors.incrementAndGet();
                                    firstError.compareAndSet(null, e.toString());
                                }
                                l[n++] = System.nanoTime() - s;
                            }
                            return Arrays.copyOf(l, n);
                        }));
                    }
                    List<long[]> parts = new ArrayList<>();
                    for (Future<long[]> f : results) {
                        parts.add(f.get());
                    }
                    stop.set(true);
                    adder.join();
                    long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                    System.out.printf(Locale.ROOT, "HTTP GET recommendations k=10, %d connections, %d s: %d requests, "
                                    + "%.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d; items added %d, not recommendable %d%n",
                            conns, seconds, all.length, all.length / (double) seconds, pct(all, 0.5) / 1e6,
                            pct(all, 0.99) / 1e6, errors.get(), adds.get(), addFailures.get());
                    if (firstError.get() != null) {
                        System.out.println("  first error: " + firstError.get());
                    }
                }
            }
        }
    }

    private static void adder(String url, Path data, int seconds, String prefix) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient client = HttpClient.newHttpClient();
        try (Dataset d = Datasets.open(data)) {
            List<String> userIds = d.ids().map(IdMapping::userIds)
                    .orElseGet(() -> IntStream.range(0, d.numUser()).mapToObj(Integer::toString).toList());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong adds = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            Thread t = Thread.ofVirtual().start(() -> addEverySecond(client, json, url, d, userIds, stop, prefix, adds,
                    failures));
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            t.join();
            System.out.printf("items added %d, not recommendable afterwards %d%n", adds.get(), failures.get());
        }
    }

    /**
     * Once a second: copies the content of a random user's best cold dataset item into a new item, adds
     * it, and checks the user's cold recommendations then hold it (its score equals the copied item's,
     * so only that item and earlier copies can rank above it).
     */
    private static void addEverySecond(HttpClient client, ObjectMapper json, String url, Dataset d,
                                       List<String> userIds, AtomicBoolean stop, String prefix, AtomicLong adds,
                                       AtomicLong failures) {
        Random r = new Random(prefix.hashCode());
        while (!stop.get()) {
            try {
                Thread.sleep(1000);
                String u = userIds.get(r.nextInt(userIds.size()));
                JsonNode top = json.readTree(get(client, url + "/v1/users/" + u
                        + "/recommendations?k=100&items=cold").body());
                int dense = -1;
                for (JsonNode it : top.get("items")) {
                    String id = it.get("id").asText();
                    var known = d.ids().isPresent() ? d.ids().get().denseItem(id) : java.util.OptionalInt.empty();
                    if (known.isPresent()) {
                        dense = known.getAsInt();
                        break;
                    }
                }
                String id = prefix + adds.get();
                Map<String, float[]> f = new LinkedHashMap<>();
                for (var m : d.content().modalities()) {
                    float[] v = new float[(int) m.cols()];
                    MemorySegment.copy(m.data(), ValueLayout.JAVA_FLOAT, dense * m.cols() * Float.BYTES, v, 0, v.length);
                    f.put(m.name(), v);
                }
                HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/items"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("id", id,
                                "features", f)))).build(), HttpResponse.BodyHandlers.ofString());
                adds.incrementAndGet();
                JsonNode after = json.readTree(get(client, url + "/v1/users/" + u + "/recommendations?k=100&items=cold")
                        .body());
                if (post.statusCode() != 201 || !after.get("items").findValuesAsText("id").contains(id)) {
                    failures.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
