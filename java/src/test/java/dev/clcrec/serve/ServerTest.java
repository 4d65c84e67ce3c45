package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.NewItem;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTest {
    @TempDir static Path dir;
    static Dataset data;
    static Path bundleA;
    static Path bundleB;
    static Recommender rec;
    static RecommendationServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        data = ServingFixtures.dataset();
        bundleA = dir.resolve("a");
        bundleB = dir.resolve("b");
        ServingFixtures.trainBundle(data, bundleA, 3, 2).close();
        ServingFixtures.trainBundle(data, bundleB, 4, 1).close();
        rec = Recommender.open(bundleA);
        server = RecommendationServer.start(rec, new RecommendationServer.Options("127.0.0.1", 0, bundleA, 4096, 500));
    }

    @AfterAll
    static void stop() {
        server.close();
        rec.close();
        data.close();
    }

    record Response(int status, JsonNode body, String text) {}

    static Response send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = null;
        if (r.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            n = json.readTree(r.body());
        }
        return new Response(r.statusCode(), n, r.body());
    }

    static String itemJson(NewItem item) throws IOException {
        return json.writeValueAsString(Map.of("id", item.id(), "features", item.features()));
    }

    static void assertError(Response r, int status, String field) {
        assertEquals(status, r.status(), r.text());
        assertNotNull(r.body(), r.text());
        assertEquals(field, r.body().path("error").path("field").asText(null), r.text());
        assertFalse(r.body().path("error").path("message").asText().isEmpty());
    }

    @Test
    void recommendationsComeBackBestFirstInTheDatasetsIds() throws Exception {
        Response r = send("GET", "/v1/users/u7/recommendations?k=5&items=cold", null);
        assertEquals(200, r.status(), r.text());
        assertEquals("u7", r.body().get("user").asText());
        List<Recommendation> expected = rec.recommend("u7", 5, ItemFilter.COLD);
        assertEquals(5, r.body().get("items").size());
        for (int i = 0; i < 5; i++) {
            assertEquals(expected.get(i).itemId(), r.body().get("items").get(i).get("id").asText());
            assertEquals(expected.get(i).score(), r.body().get("items").get(i).get("score").floatValue(), 1e-6);
        }
        assertEquals(10, send("GET", "/v1/users/u7/recommendations", null).body().get("items").size());
    }

    @Test
    void anAddedItemIsRecommendableAtOnceAndADeletedOneIsGone() throws Exception {
        Recommendation top = rec.recommend("u2", 1, ItemFilter.COLD).getFirst();
        Response created = send("POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, top.item(), "http-new")));
        assertEquals(201, created.status(), created.text());
        JsonNode items = send("GET", "/v1/users/u2/recommendations?k=2&items=cold", null).body().get("items");
        assertTrue(items.findValuesAsText("id").contains("http-new"), items.toString());
        assertError(send("POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, 3, "http-new"))), 409, "id");

        assertEquals(200, send("DELETE", "/v1/items/http-new", null).status());
        assertError(send("DELETE", "/v1/items/http-new", null), 404, "id");
        for (int u = 0; u < data.numUser(); u += 9) {
            JsonNode all = send("GET", "/v1/users/u" + u + "/recommendations?k=500", null).body().get("items");
            assertFalse(all.findValuesAsText("id").contains("http-new"));
        }
    }

    @Test
    void badInputIsA4xxNamingTheField() throws Exception {
        Response stranger = send("GET", "/v1/users/nobody/recommendations", null); // no interaction: popular items
        assertEquals(200, stranger.status(), stranger.text());
        assertTrue(stranger.text().contains("\"basis\":\"popular\""), stranger.text());
        assertError(send("GET", "/v1/users/u1/recommendations?k=0", null), 400, "k");
        assertError(send("GET", "/v1/users/u1/recommendations?k=501", null), 400, "k");
        assertError(send("GET", "/v1/users/u1/recommendations?k=ten", null), 400, "k");
        assertError(send("GET", "/v1/users/u1/recommendations?items=hot", null), 400, "items");
        assertError(send("POST", "/v1/items", "{\"id\": \"x\", \"features\": {\"v\": [1, 2"), 400, "body");
        assertError(send("POST", "/v1/items", "[]"), 400, "body");
        assertError(send("POST", "/v1/items", "{\"features\": {\"v\": [1]}}"), 400, "id");
        assertError(send("POST", "/v1/items", "{\"id\": \"x\"}"), 400, "features");
        assertError(send("POST", "/v1/items", "{\"id\": \"x\", \"features\": {\"v\": [1, 2, 3]}}"), 400, "features.v");
        String twelve = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ";
        assertError(send("POST", "/v1/items", "{\"id\": \"x\", \"features\": {\"v\": [" + twelve + "1e999]}}"), 400,
                "features.v"); // overflows to infinity: not finite
        assertError(send("POST", "/v1/items", "{\"id\": \"x\", \"features\": {\"v\": [" + twelve + "NaN]}}"), 400,
                "body"); // JSON has no NaN
        assertError(send("POST", "/v1/items", "{\"id\": \"x\", \"features\": {\"v\": [" + twelve + "\"a\"]}}"), 400,
                "features.v");
        assertError(send("POST", "/v1/items", "{\"id\": \"x\", \"features\": {\"q\": [1]}}"), 400, "features.q");
        assertError(send("POST", "/v1/items", "{\"id\": \"" + "x".repeat(5000) + "\"}"), 413, "body");
        assertError(send("GET", "/v1/nothing-here", null), 404, "path");
        assertFalse(rec.containsItem("x"));
    }

    @Test
    void reloadSwapsTheModelAndABadBundleLeavesTheOldOneServing() throws Exception {
        Path broken = dir.resolve("broken"); // under the bundle root (bundleA's parent)
        Files.createDirectories(broken);
        Response bad = send("POST", "/v1/admin/reload", json.writeValueAsString(Map.of("bundle", broken.toString())));
        assertError(bad, 422, "bundle");
        String before = send("GET", "/health", null).body().get("model_version").asText();
        Response ok = send("POST", "/v1/admin/reload", json.writeValueAsString(Map.of("bundle", bundleB.toString())));
        assertEquals(200, ok.status(), ok.text());
        assertNotEquals(before, ok.body().get("model_version").asText());
        Response back = send("POST", "/v1/admin/reload", null); // no body: the bundle it was started with
        assertEquals(200, back.status(), back.text());
        assertEquals(before, back.body().get("model_version").asText());
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        send("GET", "/v1/users/u1/recommendations", null);
        send("GET", "/v1/users/u1/recommendations?k=0", null);
        for (int i = 0; i < 3; i++) { // only this test asks to delete unknown items
            assertEquals(404, send("DELETE", "/v1/items/never-added-" + i, null).status());
        }
        Response m = send("GET", "/metrics", null);
        assertEquals(200, m.status());
        String t = m.text();
        assertTrue(t.contains("clcrec_http_requests_total{route=\"recommendations\",status=\"200\"}"), t);
        assertTrue(t.contains("clcrec_http_requests_total{route=\"recommendations\",status=\"400\"}"), t);
        assertTrue(t.contains("clcrec_http_request_duration_seconds_bucket{route=\"recommendations\",le=\"0.001\"}"), t);
        // Every request is counted once, under its route and status (the series are cached per route).
        assertTrue(t.matches("(?s).*\nclcrec_http_requests_total\\{route=\"remove_item\",status=\"404\"\\} 3(\\.0)?\n.*"), t);
        assertTrue(t.contains("clcrec_catalog_items " + rec.catalogSize()) || t.contains("clcrec_catalog_items "
                + (double) rec.catalogSize()), t);
        assertTrue(t.contains("clcrec_model_info{version=\"" + rec.modelVersion() + "\"} 1"), t);
        Response h = send("GET", "/health", null);
        assertEquals("ok", h.body().get("status").asText());
    }
}
