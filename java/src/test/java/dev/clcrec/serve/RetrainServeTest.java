package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clcrec serve --state} retraining itself over real HTTP: a retrain over new items and
 * interactions swaps in a model where the new items are warm; a candidate made worse on purpose (an
 * untrained one from scratch) is refused and the model serving stays; a rollback restores the version
 * before; a SIGKILL during a retrain leaves a complete model that a restart serves.
 */
class RetrainServeTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(300)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServerProcess.TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(int port, String path, String body, int status) throws Exception {
        HttpResponse<String> r = send(port, "POST", path, body);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        return json.readTree(r.body());
    }

    private String version(int port) throws Exception {
        return json.readTree(send(port, "GET", "/health", null).body()).get("model_version").asText();
    }

    private List<String> ids(int port, String user, String items) throws Exception {
        HttpResponse<String> r = send(port, "GET", "/v1/users/" + user + "/recommendations?k=500&items=" + items, null);
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        json.readTree(r.body()).get("items").forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    /** Two added copies of cold items and the dataset's held-out interactions (on them), at shuffled times. */
    private void feed(int port, Dataset data) throws Exception {
        for (int i : new int[] {100, 101}) {
            var item = ServingFixtures.copyOf(data, i, "fresh-" + i);
            post(port, "/v1/items", json.writeValueAsString(Map.of("id", item.id(), "features", item.features())), 201);
        }
        var ids = data.ids().orElseThrow();
        List<Map<String, Object>> xs = new ArrayList<>();
        Random r = new Random(5);
        for (Split split : Split.values()) {
            var held = data.heldOut(split, Setting.ALL);
            for (int u = 0; u < data.numUser(); u++) {
                for (int i : held.row(u)) {
                    String item = i == 100 || i == 101 ? "fresh-" + i : ids.externalItem(i);
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("user", ids.externalUser(u));
                    x.put("item", item);
                    x.put("timestamp", 1_000 + r.nextInt(1_000_000));
                    xs.add(x);
                }
            }
        }
        JsonNode res = post(port, "/v1/interactions", json.writeValueAsString(Map.of("interactions", xs)), 200);
        assertNotNull(res);
    }

    /** serve over the fixtures with small retrains; {@code more} (flag, value pairs) overrides the defaults here. */
    private static List<String> serve(Path bundle, Path state, String... more) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of("--retrain-tolerance", "1", "--retrain-epochs", "3",
                "--retrain-num-neg", "16", "--retrain-batch-size", "64"));
        for (int i = 0; i < more.length; i += 2) {
            flags.put(more[i], more[i + 1]);
        }
        List<String> a = new ArrayList<>(List.of("--model", bundle.toString(), "--state", state.toString()));
        flags.forEach((k, v) -> a.addAll(List.of(k, v)));
        return a;
    }

    @Test
    void retrainSwapsGateRefusesRollbackRestores(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        Path state = dir.resolve("state");
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 8).close();
            String original;
            String retrained;
            try (ServerProcess server = ServerProcess.start(serve(bundle, state))) {
                int port = server.port;
                original = version(port);
                feed(port, data);
                assertTrue(ids(port, "u99", "cold").contains("fresh-100"), "an added item starts cold");
                JsonNode o = post(port, "/v1/admin/retrain", null, 200);
                assertEquals("swapped", o.get("outcome").asText(), o.toString());
                retrained = version(port);
                assertNotEquals(original, retrained);
                assertEquals(retrained, o.get("model_version").asText());
                assertEquals(original, o.get("previous_version").asText());
                assertTrue(o.get("holdout_pairs").asLong() > 0, o.toString());
                List<String> warm = ids(port, "u99", "warm");
                assertTrue(warm.contains("fresh-100") && warm.contains("fresh-101"), "now warm: " + warm);
                assertFalse(ids(port, "u99", "cold").contains("fresh-100"));
                String metrics = send(port, "GET", "/metrics", null).body();
                assertTrue(metrics.contains("clcrec_retrain_total{outcome=\"swapped\"} 1.0"), metrics);
                assertTrue(metrics.contains("clcrec_retrain_duration_seconds_count 1"), metrics);
                assertTrue(metrics.contains("clcrec_retrain_gate_value{model=\"candidate\"}"), metrics);
                assertTrue(metrics.contains("clcrec_model_age_seconds"), metrics);
            }
            // Restarted with a candidate made worse on purpose: untrained, from scratch, no tolerance.
            try (ServerProcess server = ServerProcess.start(serve(bundle, state, "--retrain-from", "scratch",
                    "--retrain-epochs", "0", "--retrain-tolerance", "0"))) {
                int port = server.port;
                assertEquals(retrained, version(port), "the swapped-in bundle is in force after a restart");
                JsonNode o = post(port, "/v1/admin/retrain", null, 200);
                assertEquals("refused", o.get("outcome").asText(), o.toString());
                assertTrue(o.get("candidate_value").asDouble() < o.get("serving_value").asDouble(), o.toString());
                assertEquals(retrained, version(port), "the old model keeps serving");
                assertTrue(Files.isRegularFile(Path.of(o.get("bundle").asText()).resolve("REFUSED.txt")));
                assertTrue(send(port, "GET", "/metrics", null).body()
                        .contains("clcrec_retrain_total{outcome=\"refused\"} 1.0"));
                JsonNode back = post(port, "/v1/admin/rollback", null, 200);
                assertEquals("rolled_back", back.get("outcome").asText());
                assertEquals(original, version(port));
                JsonNode none = post(port, "/v1/admin/rollback", null, 409);
                assertEquals("nothing_to_roll_back", none.get("error").get("code").asText());
            }
        }
    }

    @Test
    void aSigkillDuringARetrainLeavesACompleteModel(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        Path state = dir.resolve("state");
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 2).close();
            String original;
            try (ServerProcess server = ServerProcess.start(serve(bundle, state, "--retrain-epochs", "100000"))) {
                int port = server.port;
                original = version(port);
                feed(port, data);
                CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(port, "POST", "/v1/admin/retrain", null);
                    } catch (Exception e) {
                        return null;
                    }
                });
                // the warm start is written just before training starts
                Path started = state.resolve("models").resolve(".work").resolve("warm-start.ckpt");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(started) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(Files.exists(started), server.output());
                // requests are served while it trains
                assertEquals(200, send(port, "GET", "/v1/users/u3/recommendations?k=5", null).statusCode());
                assertEquals("retrain_running", post(port, "/v1/admin/retrain", null, 409).get("error").get("code")
                        .asText());
                Thread.sleep(500);
                server.kill();
                pending.cancel(true);
            }
            try (ServerProcess server = ServerProcess.start(serve(bundle, state))) {
                int port = server.port;
                assertEquals(original, version(port), "the model in force before the retrain");
                assertEquals(200, send(port, "GET", "/v1/users/u3/recommendations?k=5", null).statusCode());
                assertTrue(ids(port, "u99", "all").contains("fresh-100"), "the journal is intact");
                // the half-done retrain left nothing behind but the history's own files
                try (Stream<Path> s = Files.list(state.resolve("models"))) {
                    assertEquals(List.of(), s.filter(Files::isDirectory).toList());
                }
                JsonNode o = post(port, "/v1/admin/retrain", null, 200);
                assertEquals("swapped", o.get("outcome").asText(), o.toString());
            }
        }
    }
}
