package dev.clcrec.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.prepare.AfterCutLog;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 17's protocol through the HTTP API of a running {@code clcrec serve --state DIR}, on a dataset
 * prepared with {@code --split time-replay} (the dataset = what existed at the training cut; the server
 * serves a bundle trained on it): replay the validation window of {@code after-cut/interactions.csv}
 * in timestamp order ({@code POST /v1/items} with its content for each item the first time it is
 * met, then {@code POST /v1/interactions}, 100 a request), add the items first seen in the test
 * window (their content is published before anyone interacts with them), then evaluate on the test
 * window; in mode {@code retrain} also time recommend idle (after a discarded warm-up of half as long),
 * during {@code POST /v1/admin/retrain} and idle again after it, with paced clients (each calls, then
 * pauses), and evaluate again.
 *
 * <p>Who is evaluated: every user with a test-window interaction who was seen before the test window
 * (a user of the dataset, or a user first seen in the replayed window: a fold-in user of the serving
 * model, a model user after a retrain). Users first seen in the test window have no history and are
 * not evaluated. Each user's ranking is the server's full ranking ({@code k} = catalog size) minus the
 * items the user met before the test window; Recall@10 = hits in the top 10 / the user's test items,
 * NDCG@10 binary. Warm items: those with an interaction before the test window (so the items first seen
 * in the replayed window are warm: a model trained up to the test window knows them); cold: those
 * first seen in the test window; the top 10 of a setting is taken among its items.
 *
 * <p>Args: BASE_URL PREPARED retrain|evaluate [CLIENTS] [PACE_MS] [IDLE_SECONDS]; the access token, if
 * the server has one, in {@code CLCREC_TOKEN}; {@code -Dreplay.perUser=FILE} appends each evaluated
 * user's all-items Recall@10 and NDCG@10 to FILE ({@code label user recall ndcg}, tab-separated).
 */
public final class ReplayBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** The server's access token (writes and /v1/admin/* need it), from CLCREC_TOKEN as serve takes it. */
    private static final String TOKEN = System.getenv("CLCREC_TOKEN");

    private record Event(String user, String item, long time, boolean test) {}

    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        String base = args[0].replaceAll("/$", "");
        Path prepared = Path.of(args[1]);
        boolean retrain = switch (args[2]) {
            case "retrain" -> true;
            case "evaluate" -> false;
            default -> throw new IllegalArgumentException("mode must be retrain or evaluate, got " + args[2]);
        };
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int paceMs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int idleSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 20;

        Set<String> datasetItems = new HashSet<>();
        Map<String, Set<String>> seen = new HashMap<>(); // user -> items met before the test window
        List<String> datasetUsers = new ArrayList<>();
        try (Dataset d = Datasets.open(prepared)) {
            IdMapping ids = d.ids().orElseThrow();
            datasetItems.addAll(ids.itemIds());
            for (int u = 0; u < d.numUser(); u++) {
                Set<String> s = seen.computeIfAbsent(ids.externalUser(u), k -> new HashSet<>());
                datasetUsers.add(ids.externalUser(u));
                for (int i : d.train().row(u)) {
                    s.add(ids.externalItem(i));
                }
            }
        }
        Path dir = prepared.resolve(AfterCutLog.DIR);
        List<Event> events = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve(AfterCutLog.INTERACTIONS));
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            events.add(new Event(p[0], p[1], Long.parseLong(p[2]), p[3].equals("test")));
        }
        Map<String, ObjectNode> features = newItemFeatures(dir);
        Set<String> windowUsers = new LinkedHashSet<>();
        Set<String> windowItems = new LinkedHashSet<>();
        for (Event e : events) {
            if (!e.test()) {
                if (!seen.containsKey(e.user())) {
                    windowUsers.add(e.user());
                }
                if (!datasetItems.contains(e.item())) {
                    windowItems.add(e.item());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d dataset users, %d dataset items; after the cut %d interactions "
                        + "(%d in the replayed window), %d items to add%n", prepared, datasetUsers.size(),
                datasetItems.size(), events.size(), events.stream().filter(e -> !e.test()).count(), features.size());
        System.out.println("server: " + get(base + "/health"));

        // replay the window: items first, then the interactions that need them
        long t0 = System.nanoTime();
        Set<String> added = new HashSet<>();
        List<Event> window = events.stream().filter(e -> !e.test()).toList();
        int requests = 0;
        for (int k = 0; k < window.size(); k += 100) {
            List<Event> batch = window.subList(k, Math.min(window.size(), k + 100));
            ArrayNode list = JSON.createArrayNode();
            for (Event e : batch) {
                if (!datasetItems.contains(e.item()) && added.add(e.item())) {
                    addItem(base, e.item(), features);
                    requests++;
                }
                list.addObject().put("user", e.user()).put("item", e.item()).put("timestamp", e.time());
                seen.computeIfAbsent(e.user(), u -> new HashSet<>()).add(e.item());
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("interactions", list);
            JsonNode reply = JSON.readTree(post(base + "/v1/interactions", body.toString(), 200));
            if (reply.get("rejected").asInt() > 0) {
                throw new IllegalStateException("interactions rejected: " + reply);
            }
            requests++;
        }
        System.out.printf(Locale.ROOT, "replayed %d interactions of %d new users, %d new items in %d requests, %.1f s%n",
                window.size(), windowUsers.size(), windowItems.size(), requests, (System.nanoTime() - t0) / 1e9);
        int testItems = 0;
        for (Event e : events) {
            if (e.test() && !datasetItems.contains(e.item()) && added.add(e.item())) {
                addItem(base, e.item(), features);
                testItems++;
            }
        }
        System.out.printf(Locale.ROOT, "added %d items first seen in the test window; %s%n", testItems,
                get(base + "/health"));

        // who is evaluated, on what
        Set<String> warm = new HashSet<>(datasetItems);
        warm.addAll(windowItems);
        Map<String, Set<String>> truth = new LinkedHashMap<>();
        int unseenTestUsers = 0;
        Set<String> testOnlyUsers = new TreeSet<>();
        for (Event e : events) {
            if (!e.test()) {
                continue;
            }
            if (seen.containsKey(e.user())) {
                truth.computeIfAbsent(e.user(), u -> new LinkedHashSet<>()).add(e.item());
            } else {
                unseenTestUsers++;
                testOnlyUsers.add(e.user());
            }
        }
        long fromWindow = truth.keySet().stream().filter(windowUsers::contains).count();
        System.out.printf(Locale.ROOT, "evaluated: %d users with test interactions seen before the test window "
                        + "(%d dataset users, %d first seen in the replayed window; %d test pairs); not evaluated: %d "
                        + "users first seen in the test window (%d test pairs)%n", truth.size(),
                truth.size() - fromWindow, fromWindow, truth.values().stream().mapToInt(Set::size).sum(),
                testOnlyUsers.size(), unseenTestUsers);
        int catalog = JSON.readTree(get(base + "/health")).get("catalog_size").asInt();
        evaluate("before the retrain", base, catalog, truth, seen, warm, windowUsers);
        if (!retrain) {
            return;
        }
        List<String> known = new ArrayList<>(datasetUsers);
        known.addAll(windowUsers);
        load(base, known, clients, paceMs, () -> null, idleSeconds / 2); // warm-up (JIT, connections), discarded
        Latency idle = load(base, known, clients, paceMs, () -> null, idleSeconds);
        System.out.printf(Locale.ROOT, "recommend k=10 over HTTP idle: %s%n", idle);
        String[] reply = new String[1];
        Latency busy = load(base, known, clients, paceMs, () -> {
            reply[0] = post(base + "/v1/admin/retrain", "", 200);
            return null;
        }, 0);
        System.out.printf(Locale.ROOT, "recommend k=10 over HTTP during the retrain: %s%n", busy);
        System.out.println("retrain: " + reply[0]);
        Latency after = load(base, known, clients, paceMs, () -> null, idleSeconds);
        System.out.printf(Locale.ROOT, "recommend k=10 over HTTP idle after the retrain: %s%n", after);
        evaluate("after the retrain", base, catalog, truth, seen, warm, windowUsers);
    }

    /** item -> {"modality": [..], ..} for every item in the after-cut feature files. */
    private static Map<String, ObjectNode> newItemFeatures(Path dir) throws Exception {
        Map<String, ObjectNode> out = new HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("features-")).sorted().toList()) {
                String name = f.getFileName().toString();
                String modality = name.substring("features-".length(), name.length() - ".csv".length());
                List<String> rows = Files.readAllLines(f);
                for (String row : rows.subList(1, rows.size())) {
                    String[] p = row.split(",");
                    ArrayNode v = out.computeIfAbsent(p[0], k -> JSON.createObjectNode()).putArray(modality);
                    for (int c = 1; c < p.length; c++) {
                        v.add(Float.parseFloat(p[c]));
                    }
                }
            }
        }
        return out;
    }

    private static void addItem(String base, String item, Map<String, ObjectNode> features) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", item);
        ObjectNode f = features.get(item);
        if (f == null) {
            throw new IllegalStateException("no content for new item " + item + " in after-cut/features-*.csv");
        }
        body.set("features", f);
        post(base + "/v1/items", body.toString(), 201);
    }

    private static void evaluate(String label, String base, int catalog, Map<String, Set<String>> truth,
                                 Map<String, Set<String>> seen, Set<String> warm, Set<String> windowUsers)
            throws Exception {
        double[][] sums = new double[3][2];
        int[] users = new int[3];
        double[] windowSum = new double[2];
        int windowCount = 0;
        Map<String, Integer> basis = new LinkedHashMap<>();
        String model = null;
        StringBuilder perUser = new StringBuilder();
        for (Map.Entry<String, Set<String>> t : truth.entrySet()) {
            String user = t.getKey();
            JsonNode r = JSON.readTree(get(base + "/v1/users/" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                    + "/recommendations?k=" + catalog));
            basis.merge(r.get("basis").asText(), 1, Integer::sum);
            model = r.get("model").asText();
            List<String> ranking = new ArrayList<>();
            for (JsonNode x : r.get("items")) {
                String id = x.get("id").asText();
                if (!seen.get(user).contains(id)) {
                    ranking.add(id);
                }
            }
            for (int s = 0; s < 3; s++) {
                Set<String> relevant = new HashSet<>();
                for (String id : t.getValue()) {
                    if (s == 0 || (s == 1) == warm.contains(id)) {
                        relevant.add(id);
                    }
                }
                if (relevant.isEmpty()) {
                    continue;
                }
                int rank = 0;
                int hits = 0;
                double dcg = 0;
                for (String id : ranking) {
                    if (s != 0 && (s == 1) != warm.contains(id)) {
                        continue;
                    }
                    if (relevant.contains(id)) {
                        hits++;
                        dcg += 1 / (Math.log(rank + 2) / Math.log(2));
                    }
                    if (++rank == 10) {
                        break;
                    }
                }
                double idcg = 0;
                for (int q = 0; q < Math.min(10, relevant.size()); q++) {
                    idcg += 1 / (Math.log(q + 2) / Math.log(2));
                }
                sums[s][0] += hits / (double) relevant.size();
                sums[s][1] += dcg / idcg;
                users[s]++;
                if (s == 0) {
                    perUser.append(String.format(Locale.ROOT, "%s\t%s\t%.6f\t%.6f%n", label, user,
                            hits / (double) relevant.size(), dcg / idcg));
                }
                if (s == 0 && windowUsers.contains(user)) {
                    windowSum[0] += hits / (double) relevant.size();
                    windowSum[1] += dcg / idcg;
                    windowCount++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s (model %s): R@10 all %.4f warm %.4f cold %.4f | NDCG@10 all %.4f warm %.4f "
                        + "cold %.4f | users all/warm/cold %d/%d/%d; window-new users: R@10 all %.4f NDCG@10 all %.4f "
                        + "(%d) | basis %s%n", label, model, sums[0][0] / users[0], sums[1][0] / users[1],
                sums[2][0] / users[2], sums[0][1] / users[0], sums[1][1] / users[1], sums[2][1] / users[2], users[0],
                users[1], users[2], windowSum[0] / windowCount, windowSum[1] / windowCount, windowCount, basis);
        String file = System.getProperty("replay.perUser");
        if (file != null) { // label, user, R@10 all, NDCG@10 all: for paired comparisons across runs
            Files.writeString(Path.of(file), perUser, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** Latencies of paced recommend calls from {@code clients} threads while {@code during} runs (or for idle seconds). */
    private static Latency load(String base, List<String> users, int clients, int paceMs,
                                java.util.concurrent.Callable<Void> during, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Random r = new Random(c + 1);
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    String user = users.get(r.nextInt(users.size()));
                    long t = System.nanoTime();
                    try {
                        get(base + "/v1/users/" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                                + "/recommendations?k=10");
                        ms.add((System.nanoTime() - t) / 1e6);
                        Thread.sleep(paceMs);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        if (seconds > 0) {
            Thread.sleep(seconds * 1000L);
        } else {
            during.call();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            System.out.println(errors.size() + " failed requests, first: " + errors.peek());
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latency(sorted, wall, clients, paceMs);
    }

    private record Latency(double[] sorted, double seconds, int clients, int paceMs) {
        double pct(int p) {
            return sorted.length == 0 ? Double.NaN
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d calls in %.1f s, %.0f/s; %d "
                            + "clients, %d ms pause)", pct(50), pct(99), sorted.length == 0 ? Double.NaN
                            : sorted[sorted.length - 1], sorted.length, seconds, sorted.length / seconds, clients,
                    paceMs);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String post(String url, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (TOKEN != null) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        HttpResponse<String> r = HTTP.send(b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
