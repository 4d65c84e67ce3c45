package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clcrec serve --state} as a real process, SIGKILLed at random moments (some while a snapshot
 * is being written) while several clients add 10,000 items and record 10,000 interactions: after
 * every restart each acknowledged write is there, and a write that was not acknowledged is either
 * wholly there or wholly absent.
 */
class DurableServeCrashTest {
    private static final int ITEMS = 10_000;
    private static final int INTERACTION_REQUESTS = 2_500; // of 4 interactions each
    private static final int CLIENTS = 4;
    private static final int MIN_KILLS = 20;

    private enum Outcome { PENDING, ACKNOWLEDGED, IN_DOUBT }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(int port, String method, String path, String body) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServerProcess.TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> interactionItems(int request) {
        return List.of("item-" + request % 100, "item-" + (request + 1) % 100, "item-" + (request + 2) % 100,
                "item-" + (request + 3) % 100);
    }

    @Test
    void everyAcknowledgedWriteSurvivesRepeatedKills(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        Path state = dir.resolve("state");
        String[] bodies = new String[ITEMS + INTERACTION_REQUESTS];
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 1).close();
            for (int i = 0; i < ITEMS; i++) {
                var item = ServingFixtures.copyOf(data, 100 + i % 20, "crash-" + i);
                bodies[i] = json.writeValueAsString(Map.of("id", item.id(), "features", item.features()));
            }
        }
        for (int r = 0; r < INTERACTION_REQUESTS; r++) {
            List<Map<String, Object>> entries = new ArrayList<>();
            for (String item : interactionItems(r)) {
                entries.add(Map.of("user", "cu-" + r, "item", item, "timestamp", r));
            }
            bodies[ITEMS + r] = json.writeValueAsString(Map.of("interactions", entries));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(42));
        AtomicReferenceArray<Outcome> outcome = new AtomicReferenceArray<>(bodies.length);
        for (int i = 0; i < bodies.length; i++) {
            outcome.set(i, Outcome.PENDING);
        }
        List<String> serve = List.of("--model", bundle.toString(), "--state", state.toString(), "--snapshot-every", "250");
        Random random = new Random(7);
        AtomicInteger next = new AtomicInteger();
        int kills = 0;
        int killsMidSnapshot = 0;
        List<Integer> previousRound = new ArrayList<>();
        while (next.get() < order.size()) {
            try (ServerProcess server = ServerProcess.start(serve)) {
                verify(server.port, previousRound, outcome);
                int roundStart = next.get();
                int target = roundStart + 250 + random.nextInt(400);
                boolean snapshotRound = kills % 3 == 2;
                List<Integer> doneThisRound = Collections.synchronizedList(new ArrayList<>());
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Thread t = Thread.ofPlatform().start(() -> {
                        for (int k; (k = next.getAndIncrement()) < order.size(); ) {
                            int op = order.get(k);
                            String path = op < ITEMS ? "/v1/items" : "/v1/interactions";
                            try {
                                HttpResponse<String> r = send(server.port, "POST", path, bodies[op]);
                                if (r.statusCode() != (op < ITEMS ? 201 : 200)) {
                                    throw new AssertionError(path + " " + r.statusCode() + ": " + r.body());
                                }
                                outcome.set(op, Outcome.ACKNOWLEDGED);
                                doneThisRound.add(op);
                            } catch (IOException | InterruptedException e) {
                                outcome.set(op, Outcome.IN_DOUBT); // the server died with it in flight
                                return;
                            }
                        }
                    });
                    clients.add(t);
                }
                while (next.get() < Math.min(target, order.size()) && clients.stream().anyMatch(Thread::isAlive)) {
                    Thread.sleep(2);
                }
                if (next.get() < order.size()) {
                    if (snapshotRound) {
                        Thread.ofPlatform().start(() -> {
                            try {
                                send(server.port, "POST", "/v1/admin/snapshot", "");
                            } catch (IOException | InterruptedException ignored) {
                                // killed during the snapshot: that is the point
                            }
                        });
                        Thread.sleep(random.nextInt(15));
                    }
                    server.kill();
                    kills++;
                    if (unfinishedSnapshot(state)) {
                        killsMidSnapshot++;
                    }
                }
                for (Thread t : clients) {
                    t.join();
                }
                previousRound = new ArrayList<>(doneThisRound);
            }
        }
        assertTrue(kills >= MIN_KILLS, "only " + kills + " kills");
        try (ServerProcess server = ServerProcess.start(serve)) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < bodies.length; i++) {
                all.add(i);
            }
            verify(server.port, all, outcome);
        }
        System.out.printf("crash test: %d kills (%d left a snapshot unfinished), %d writes acknowledged%n", kills,
                killsMidSnapshot, java.util.stream.IntStream.range(0, bodies.length)
                        .filter(i -> outcome.get(i) == Outcome.ACKNOWLEDGED).count());
    }

    /** Acknowledged writes are present; writes in doubt are all there or not at all. */
    private void verify(int port, List<Integer> ops, AtomicReferenceArray<Outcome> outcome) throws Exception {
        for (int op : ops) {
            Outcome o = outcome.get(op);
            if (o == Outcome.PENDING) {
                continue;
            }
            if (op < ITEMS) {
                int status = send(port, "GET", "/v1/items/crash-" + op, null).statusCode();
                if (o == Outcome.ACKNOWLEDGED) {
                    assertEquals(200, status, "acknowledged item crash-" + op + " is gone");
                } else {
                    assertTrue(status == 200 || status == 404, "item crash-" + op + ": " + status);
                }
            } else {
                int r = op - ITEMS;
                JsonNode items = json.readTree(send(port, "GET", "/v1/users/cu-" + r + "/interactions", null).body())
                        .get("items");
                List<String> got = new ArrayList<>();
                items.forEach(n -> got.add(n.asText()));
                if (o == Outcome.ACKNOWLEDGED) {
                    assertEquals(interactionItems(r), got, "acknowledged interactions of cu-" + r);
                } else {
                    assertTrue(got.isEmpty() || got.equals(interactionItems(r)), "half-applied request cu-" + r + ": "
                            + got);
                }
            }
        }
    }

    /** Whether the state directory shows a snapshot that was started and not published. */
    private static boolean unfinishedSnapshot(Path state) throws IOException {
        try (Stream<Path> s = Files.list(state)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.startsWith(".snapshot-"))
                    || names.stream().filter(n -> n.startsWith("journal-")).count() > 1;
        }
    }
}
