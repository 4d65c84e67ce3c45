package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.NewItem;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access control, the bundle root, ids and TLS on a real server, through a real HTTP client. */
class SecureServerTest {
    static final String TOKEN = "t0ken-for-tests-7f3a9c21e4b8";
    @TempDir static Path dir;
    static Path root;
    static Dataset data;
    static Recommender rec;
    static RecommendationServer writes;   // the token guards writes and /v1/admin
    static RecommendationServer guarded;  // --protect-reads: the token guards everything
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static TestCerts serverCert; // made by keytool on first use: a few seconds each

    static synchronized TestCerts serverCert() throws Exception {
        if (serverCert == null) {
            serverCert = TestCerts.create(dir.resolve("tls"), "server");
        }
        return serverCert;
    }

    @BeforeAll
    static void start() throws Exception {
        data = ServingFixtures.dataset();
        root = Files.createDirectories(dir.resolve("bundles"));
        ServingFixtures.trainBundle(data, root.resolve("a"), 3, 1).close();
        ServingFixtures.trainBundle(data, root.resolve("b"), 4, 1).close();
        Files.createDirectories(root.resolve("broken"));
        // A real bundle outside the root, and a link inside the root that leads to it.
        Path outside = Files.createDirectories(dir.resolve("outside/a"));
        try (Stream<Path> files = Files.list(root.resolve("a"))) {
            for (Path f : files.toList()) {
                Files.copy(f, outside.resolve(f.getFileName()));
            }
        }
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Files.createSymbolicLink(root.resolve("link-out-dangling"), dir.resolve("outside/none"));
        rec = Recommender.open(root.resolve("a"));
        writes = RecommendationServer.start(rec, new RecommendationServer.Options("127.0.0.1", 0, root.resolve("a"),
                4096, 500, AccessControl.bearerToken(TOKEN, false), null, null));
        guarded = RecommendationServer.start(rec, new RecommendationServer.Options("127.0.0.1", 0, root.resolve("a"),
                4096, 500, AccessControl.bearerToken(TOKEN, true), root, null));
    }

    @AfterAll
    static void stop() {
        writes.close();
        guarded.close();
        rec.close();
        data.close();
    }

    record Response(int status, JsonNode body, String text, HttpResponse<String> raw) {}

    static Response send(RecommendationServer s, String method, String path, String body, String authorization)
            throws IOException, InterruptedException {
        return send(http, "http://127.0.0.1:" + s.port(), method, path, body, authorization);
    }

    static Response send(HttpClient client, String base, String method, String path, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = null;
        if (r.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            n = json.readTree(r.body());
        }
        return new Response(r.statusCode(), n, r.body(), r);
    }

    /** The status line of a request written byte for byte (no client normalises its path). */
    static String rawStatus(RecommendationServer s, String requestLine) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", s.port())) {
            sock.getOutputStream().write((requestLine + "\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    static String bearer() {
        return "Bearer " + TOKEN;
    }

    static String itemJson(NewItem item) throws IOException {
        return json.writeValueAsString(Map.of("id", item.id(), "features", item.features()));
    }

    static String reloadJson(String bundle) throws IOException {
        return json.writeValueAsString(Map.of("bundle", bundle));
    }

    static void assertRefused(Response r, int status) {
        assertEquals(status, r.status(), r.text());
        JsonNode e = r.body().path("error");
        assertEquals(status, e.path("status").asInt(), r.text());
        assertEquals(status == 401 ? "unauthorized" : "forbidden", e.path("code").asText(), r.text());
        assertEquals("authorization", e.path("field").asText(), r.text());
        assertFalse(r.text().contains(TOKEN));
        if (status == 401) {
            assertEquals("Bearer realm=\"clcrec\"", r.raw().headers().firstValue("WWW-Authenticate").orElse(null));
        }
    }

    /** Every kind of write, including routes that do not exist yet: the rule is by method and prefix. */
    static List<String[]> everyWrite() throws IOException {
        String item = itemJson(ServingFixtures.copyOf(data, 110, "never-added"));
        String interactions = "{\"interactions\": [{\"user\": \"u1\", \"item\": \"item-3\"}]}";
        List<String[]> w = new ArrayList<>();
        w.add(new String[] {"POST", "/v1/items", item});
        w.add(new String[] {"DELETE", "/v1/items/item-3", null});
        w.add(new String[] {"PUT", "/v1/items/item-3", item});
        w.add(new String[] {"PATCH", "/v1/items/item-3", item});
        w.add(new String[] {"POST", "/v1/admin/reload", reloadJson("b")});
        w.add(new String[] {"POST", "/v1/admin/reload", null});
        w.add(new String[] {"POST", "/v1/interactions", interactions});
        w.add(new String[] {"POST", "/v1/admin/snapshot", null});
        w.add(new String[] {"GET", "/v1/admin/anything", null});
        w.add(new String[] {"DELETE", "/health", null});
        w.add(new String[] {"POST", "/v1/no-such-route", "{}"});
        return w;
    }

    record State(int size, String version, boolean item3) {}

    static State state() {
        return new State(rec.catalogSize(), rec.modelVersion(), rec.containsItem("item-3"));
    }

    @Test
    void withoutTheTokenEveryWriteIs401AndNothingChanges() throws Exception {
        State before = state();
        assertTrue(before.item3());
        for (String[] w : everyWrite()) {
            for (String auth : new String[] {null, "Basic dXNlcjpwYXNz", "Bearer", TOKEN}) {
                assertRefused(send(writes, w[0], w[1], w[2], auth), 401);
            }
        }
        // Paths spelt so that a naive prefix check would miss them.
        for (String line : List.of("GET /v1/%61dmin/reload HTTP/1.1", "GET //v1/admin/reload HTTP/1.1",
                "GET /v1/./admin/reload HTTP/1.1", "GET /v1/items/../admin/x HTTP/1.1", "GET /v1/admin%2Freload HTTP/1.1",
                "HEAD /v1/admin/reload HTTP/1.1", "OPTIONS /v1/admin/reload HTTP/1.1")) {
            assertEquals("HTTP/1.1 401 Unauthorized", rawStatus(writes, line), line);
        }
        assertEquals(before, state());
        assertFalse(rec.containsItem("never-added"));
    }

    @Test
    void aWrongTokenIs403AndNothingChanges() throws Exception {
        State before = state();
        for (String[] w : everyWrite()) {
            for (String wrong : new String[] {"Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                    "Bearer not-the-token-at-all-0000", "bearer " + TOKEN.toUpperCase()}) {
                assertRefused(send(writes, w[0], w[1], w[2], wrong), 403);
            }
        }
        assertEquals(before, state());
    }

    @Test
    void withTheTokenWritesWorkAndReadsNeedNone() throws Exception {
        Response created = send(writes, "POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, 111, "with-token")),
                bearer());
        assertEquals(201, created.status(), created.text());
        assertTrue(rec.containsItem("with-token"));
        assertEquals(200, send(writes, "DELETE", "/v1/items/with-token", null, bearer()).status());
        assertFalse(rec.containsItem("with-token"));
        // With the token, an unknown route is what it is: 404.
        assertEquals(404, send(writes, "POST", "/v1/no-such-route", "{}", bearer()).status());
        for (String read : List.of("/v1/users/u3/recommendations?k=3", "/health", "/metrics")) {
            assertEquals(200, send(writes, "GET", read, null, null).status(), read);
            assertEquals(200, send(writes, "GET", read, null, "Bearer wrong-token-but-a-read").status(), read);
        }
        assertRefused(send(writes, "POST", "/v1/items", "{}", null), 401);
        String metrics = send(writes, "GET", "/metrics", null, null).text();
        assertTrue(metrics.contains("clcrec_http_requests_total{route=\"access_refused\",status=\"401\"}"), metrics);
    }

    @Test
    void protectReadsPutsTheTokenOnEveryRoute() throws Exception {
        for (String read : List.of("/v1/users/u3/recommendations?k=3", "/health", "/metrics")) {
            assertRefused(send(guarded, "GET", read, null, null), 401);
            assertRefused(send(guarded, "GET", read, null, "Bearer wrong-token-for-a-read"), 403);
            assertEquals(200, send(guarded, "GET", read, null, bearer()).status(), read);
        }
    }

    @Test
    void aReloadOutsideTheRootIsRefusedAlikeWhetherOrNotAnythingIsThere() throws Exception {
        State before = state();
        Path existing = dir.resolve("outside/a"); // a valid bundle
        List<String> outside = List.of(existing.toString(), dir.resolve("outside/none").toString(),
                "../outside/a", "../outside/none", "/etc", "/no-such-folder-" + System.nanoTime(), "link-out",
                "link-out-dangling", "a/../../outside/a", root.toString());
        Response first = null;
        for (String name : outside) {
            Response r = send(writes, "POST", "/v1/admin/reload", reloadJson(name), bearer());
            assertEquals(403, r.status(), name + ": " + r.text());
            assertEquals("bundle", r.body().path("error").path("field").asText());
            if (first == null) {
                first = r;
            }
            assertEquals(first.text(), r.text(), name); // byte for byte: nothing about what is there
            assertFalse(r.text().contains(dir.toString()), r.text());
        }
        assertEquals(before, state());
    }

    @Test
    void aReloadInsideTheRootWorksByNameAndItsErrorsNameFilesRelatively() throws Exception {
        String version = rec.modelVersion();
        Response broken = send(writes, "POST", "/v1/admin/reload", reloadJson("broken"), bearer());
        assertEquals(422, broken.status(), broken.text());
        assertEquals("bundle", broken.body().path("error").path("field").asText());
        assertTrue(broken.body().path("error").path("message").asText().startsWith("broken/manifest.json: "),
                broken.text());
        Response missing = send(writes, "POST", "/v1/admin/reload", reloadJson("v-missing"), bearer());
        assertEquals(422, missing.status(), missing.text());
        for (Response r : List.of(broken, missing)) {
            assertFalse(r.text().contains(dir.toString()) || r.text().contains(root.toRealPath().toString()), r.text());
        }
        Response b = send(writes, "POST", "/v1/admin/reload", reloadJson("b"), bearer());
        assertEquals(200, b.status(), b.text());
        assertNotEquals(version, rec.modelVersion());
        Response back = send(writes, "POST", "/v1/admin/reload", reloadJson(root.resolve("a").toString()), bearer());
        assertEquals(200, back.status(), back.text());
        assertEquals(version, rec.modelVersion());
    }

    /** Ids at the edges of the rules: each one added over HTTP can be read back and deleted, escaped or not. */
    @Test
    void everyIdThatCanBeAddedCanBeReadAndDeleted() throws Exception {
        List<String> ids = List.of("e", "Z9", "z".repeat(128), "A.b_c~d:e@f-g", "user@example.com", "x..y",
                "urn:isbn:0451450523", "end.", "end-");
        for (String id : ids) {
            for (boolean escaped : new boolean[] {false, true}) {
                Response added = send(writes, "POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, 112, id)),
                        bearer());
                assertEquals(201, added.status(), id + ": " + added.text());
                assertEquals(id, added.body().get("id").asText());
                Response recs = send(writes, "GET", "/v1/users/u5/recommendations?k=500&items=cold", null, null);
                assertTrue(recs.body().get("items").findValuesAsText("id").contains(id), id);
                String path = escaped ? URLEncoder.encode(id, StandardCharsets.UTF_8).replace(".", "%2E")
                        .replace("-", "%2D").replace("~", "%7E") : id;
                Response deleted = send(writes, "DELETE", "/v1/items/" + path, null, bearer());
                assertEquals(200, deleted.status(), id + " as " + path + ": " + deleted.text());
                assertEquals(id, deleted.body().get("id").asText());
                assertFalse(rec.containsItem(id), id);
            }
        }
        assertEquals(rec.recommend("u5", 500, ItemFilter.COLD).size(),
                send(writes, "GET", "/v1/users/u5/recommendations?k=500&items=cold", null, null).body().get("items")
                        .size());
    }

    @Test
    void idsOutsideTheRulesAreA400NamingTheField() throws Exception {
        int size = rec.catalogSize();
        for (String id : List.of("a/b", "/lead", "z".repeat(129), ".", "..", "-x", "a b", "caf\u00e9", "a%2Fb", "a+b",
                "a?b", "a#b", "")) {
            Response r = send(writes, "POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, 112, id)), bearer());
            assertEquals(400, r.status(), id + ": " + r.text());
            assertEquals("id", r.body().path("error").path("field").asText(), id + ": " + r.text());
        }
        assertEquals(size, rec.catalogSize());
    }

    @Test
    void tlsFromAKeystoreOrPemFilesServesHttpsOnly() throws Exception {
        TestCerts certs = serverCert();
        HttpClient trusting = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
        for (var tls : List.of(ServerTls.fromKeystore(certs.keystore(), certs.password().toCharArray()),
                ServerTls.fromPem(certs.certPem(), certs.keyPem(), null),
                ServerTls.fromPem(certs.certPem(), certs.encryptedKeyPem("pem-pass-4711"), "pem-pass-4711".toCharArray()))) {
            try (RecommendationServer s = RecommendationServer.start(rec, new RecommendationServer.Options("127.0.0.1",
                    0, root.resolve("a"), 4096, 500, AccessControl.bearerToken(TOKEN, false), null, tls))) {
                String base = "https://127.0.0.1:" + s.port();
                Response health = send(trusting, base, "GET", "/health", null, null);
                assertEquals(200, health.status(), health.text());
                assertEquals("ok", health.body().get("status").asText());
                assertEquals("TLSv1.3", health.raw().sslSession().orElseThrow().getProtocol());
                assertRefused(send(trusting, base, "POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, 113,
                        "over-tls")), null), 401);
                assertEquals(201, send(trusting, base, "POST", "/v1/items", itemJson(ServingFixtures.copyOf(data, 113,
                        "over-tls")), bearer()).status());
                assertEquals(200, send(trusting, base, "DELETE", "/v1/items/over-tls", null, bearer()).status());
                // A client that does not trust the certificate, and one speaking plain HTTP, get nothing.
                assertThrows(SSLHandshakeException.class, () -> send(http, base, "GET", "/health", null, null));
                assertThrows(IOException.class, () -> send(http, "http://127.0.0.1:" + s.port(), "GET", "/health",
                        null, null));
            }
        }
    }

    @Test
    void badTlsMaterialIsRefusedNamingTheFile() throws Exception {
        TestCerts a = serverCert();
        TestCerts b = TestCerts.create(dir.resolve("tls-other"), "other");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.fromKeystore(a.keystore(), "wrong-password".toCharArray()));
        assertTrue(e.getMessage().contains(a.keystore().toString()) && e.getMessage().contains("password"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPem(a.certPem(), b.keyPem(), null));
        assertTrue(e.getMessage().contains(b.keyPem().toString()) && e.getMessage().contains("does not belong"),
                e.getMessage());
        Path encrypted = a.encryptedKeyPem("right-pass-8");
        for (char[] pass : new char[][] {"wrong-pass".toCharArray(), null}) {
            e = assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPem(a.certPem(), encrypted, pass));
            assertTrue(e.getMessage().startsWith("TLS private key " + encrypted + ": cannot be read"), e.getMessage());
            assertTrue(e.getMessage().contains("password"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPem(a.certPem(), a.certPem(), null));
        assertTrue(e.getMessage().contains(a.certPem().toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPem(a.keyPem(), a.keyPem(), null));
        assertTrue(e.getMessage().contains(a.keyPem().toString()), e.getMessage());
        Path absent = dir.resolve("tls/absent.pem");
        e = assertThrows(IllegalArgumentException.class, () -> ServerTls.fromPem(absent, a.keyPem(), null));
        assertTrue(e.getMessage().contains(absent.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }
}
