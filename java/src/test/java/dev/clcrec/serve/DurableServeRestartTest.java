package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clcrec serve --state} over real HTTP: interactions take items out of a user's list at once,
 * a brand-new user is served from five interactions, and a restart (graceful or SIGKILL) serves
 * exactly the same recommendations.
 */
class DurableServeRestartTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServerProcess.TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> ids(String recommendationsBody) throws Exception {
        List<String> out = new ArrayList<>();
        json.readTree(recommendationsBody).get("items").forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    private List<String> ids2(String interactionsBody) throws Exception {
        List<String> out = new ArrayList<>();
        json.readTree(interactionsBody).get("items").forEach(n -> out.add(n.asText()));
        return out;
    }

    private Map<String, String> everyonesLists(int port) throws Exception {
        Thread.sleep(1100); // let the popular ranking catch up with the last change (refreshed once a second)
        Map<String, String> out = new LinkedHashMap<>();
        for (String user : List.of("u0", "u1", "u2", "u17", "newbie", "stranger")) {
            for (String items : List.of("all", "warm", "cold")) {
                HttpResponse<String> r = send(port, "GET", "/v1/users/" + user + "/recommendations?k=200&items=" + items,
                        null);
                assertEquals(200, r.statusCode(), r.body());
                out.put(user + "/" + items, r.body());
            }
        }
        return out;
    }

    @Test
    void interactionsFoldInAndRestartsServeTheSameLists(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        List<String> newItems = new ArrayList<>();
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 2).close();
            for (int i = 0; i < 5; i++) {
                var item = ServingFixtures.copyOf(data, 101 + i, "fresh-" + i);
                newItems.add(json.writeValueAsString(Map.of("id", item.id(), "features", item.features())));
            }
        }
        List<String> serve = List.of("--model", bundle.toString(), "--state", dir.resolve("state").toString());
        Map<String, String> before;
        try (ServerProcess server = ServerProcess.start(serve)) {
            int port = server.port;
            for (String body : newItems) {
                assertEquals(201, send(port, "POST", "/v1/items", body).statusCode());
            }
            assertEquals(200, send(port, "DELETE", "/v1/items/item-3", null).statusCode());
            // A recorded interaction takes the item out of that user's next list.
            String top = ids(send(port, "GET", "/v1/users/u1/recommendations?k=1", null).body()).getFirst();
            HttpResponse<String> rec = send(port, "POST", "/v1/interactions", "{\"interactions\": [{\"user\": \"u1\","
                    + " \"item\": \"" + top + "\", \"timestamp\": 10}, {\"user\": \"u1\", \"item\": \"gone\"}]}");
            assertEquals(200, rec.statusCode(), rec.body());
            JsonNode r = json.readTree(rec.body());
            assertEquals(1, r.get("recorded").asInt());
            assertEquals("unknown_item", r.get("results").get(1).get("status").asText());
            assertFalse(ids(send(port, "GET", "/v1/users/u1/recommendations?k=200", null).body()).contains(top));
            // Without the token nothing is recorded.
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/interactions")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                    .ofString("{\"interactions\": [{\"user\": \"u1\", \"item\": \"item-9\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertEquals(List.of(top), ids2(send(port, "GET", "/v1/users/u1/interactions", null).body()));
            // A brand-new user: popular items first, then a list of their own from five interactions.
            HttpResponse<String> cold = send(port, "GET", "/v1/users/newbie/recommendations", null);
            assertEquals(200, cold.statusCode());
            assertEquals("popular", json.readTree(cold.body()).get("basis").asText());
            StringBuilder five = new StringBuilder("{\"interactions\": [");
            for (int i = 0; i < 5; i++) {
                five.append(i == 0 ? "" : ", ").append("{\"user\": \"newbie\", \"item\": \"item-").append(40 + i)
                        .append("\", \"timestamp\": ").append(100 + i).append('}');
            }
            assertEquals(200, send(port, "POST", "/v1/interactions", five.append("]}").toString()).statusCode());
            HttpResponse<String> own = send(port, "GET", "/v1/users/newbie/recommendations?k=10", null);
            assertEquals(200, own.statusCode(), own.body());
            assertEquals("fold_in", json.readTree(own.body()).get("basis").asText());
            List<String> ownIds = ids(own.body());
            assertEquals(10, ownIds.size());
            assertTrue(ownIds.stream().noneMatch(id -> id.matches("item-4[0-4]")), ownIds.toString());
            before = everyonesLists(port);
            server.kill(); // SIGKILL: nothing is flushed on the way out
        }
        try (ServerProcess server = ServerProcess.start(serve)) {
            assertEquals(before, everyonesLists(server.port));
            assertEquals(200, send(server.port, "POST", "/v1/admin/snapshot", "").statusCode());
        }
        try (ServerProcess server = ServerProcess.start(serve)) { // now from the snapshot
            assertEquals(before, everyonesLists(server.port));
            assertEquals(404, send(server.port, "GET", "/v1/items/item-3", null).statusCode());
            assertEquals(200, send(server.port, "GET", "/v1/items/fresh-4", null).statusCode());
        }
    }
}
