package dev.clcrec.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.CatalogException;
import dev.clcrec.api.InteractionOutcome;
import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.NewItem;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommendations;
import dev.clcrec.api.Recommender;
import dev.clcrec.bundle.BundleFormatException;
import dev.clcrec.state.Interaction;
import dev.clcrec.state.StateDirectory;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/JSON service over a {@link Recommender}, on Helidon SE's virtual-thread web server.
 *
 * <p>Routes: {@code GET /v1/users/{id}/recommendations?k=&items=all|warm|cold},
 * {@code GET /v1/users/{id}/interactions}, {@code POST /v1/interactions}, {@code POST /v1/items},
 * {@code GET /v1/items/{id}}, {@code DELETE /v1/items/{id}}, {@code POST /v1/admin/reload},
 * {@code POST /v1/admin/snapshot}, {@code POST /v1/admin/retrain} (trains in the request's thread and
 * answers with the gate's decision), {@code POST /v1/admin/rollback}, {@code GET /health}, {@code GET /metrics}.
 * Every refusal is a 4xx with a JSON error naming the field; {@link #drain} stops taking requests, waits
 * for those in flight and stops the server. Who may call what is {@link AccessControl}'s filter, run
 * before any route; reloads name bundles under {@link Options#bundleRoot()} only ({@link BundleRoot}).
 */
public final class RecommendationServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RecommendationServer.class.getName());

    /**
     * @param host           address to listen on (e.g. 127.0.0.1 or 0.0.0.0)
     * @param port           0 picks a free port
     * @param bundle         what {@code POST /v1/admin/reload} reloads when its body names no bundle
     * @param maxBodyBytes   larger request bodies are refused with 413
     * @param maxK           largest {@code k} a request may ask for
     * @param access         who may call what (see {@link AccessControl})
     * @param bundleRoot     the folder a reload may name bundles under; null: the parent of {@code bundle}, unless
     *                       that is the file system root (then a reload can only reload {@code bundle})
     * @param tls            Helidon TLS (see {@link ServerTls}), or null for plain HTTP
     */
    public record Options(String host, int port, Path bundle, int maxBodyBytes, int maxK, AccessControl access,
            Path bundleRoot, Tls tls) {
        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            if (maxBodyBytes < 1 || maxK < 1) {
                throw new IllegalArgumentException("maxBodyBytes and maxK must be >= 1");
            }
            java.util.Objects.requireNonNull(access, "access");
            if (bundleRoot == null && bundle != null) {
                Path parent = bundle.toAbsolutePath().normalize().getParent();
                // --model /bundle: its parent is the file system root, too wide to be a default
                bundleRoot = parent == null || parent.getParent() == null ? null : parent;
            }
        }

        /** Plain HTTP with no token ({@link AccessControl#unauthenticated()}); reloads under {@code bundle}'s parent. */
        public Options(String host, int port, Path bundle, int maxBodyBytes, int maxK) {
            this(host, port, bundle, maxBodyBytes, maxK, AccessControl.unauthenticated(), null, null);
        }
    }

    private final Recommender rec;
    private final Options options;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final BundleRoot bundleRoot; // null: reloads may only use the bundle the server started with
    private final WebServer server;

    private RecommendationServer(Recommender rec, Options options) {
        this.rec = rec;
        this.options = options;
        this.metrics = new ServerMetrics(rec);
        this.bundleRoot = options.bundleRoot() == null ? null : new BundleRoot(options.bundleRoot());
        var builder = WebServer.builder().host(options.host()).port(options.port()).shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(2)).routing(this::routes);
        if (options.tls() != null) {
            builder.tls(options.tls());
        }
        this.server = builder.build();
    }

    /** Starts serving {@code rec} (which the caller keeps owning) and returns once the port is bound. */
    public static RecommendationServer start(Recommender rec, Options options) {
        RecommendationServer s = new RecommendationServer(rec, options);
        s.server.start();
        LOG.log(System.Logger.Level.INFO, "serving on {0}://{1}:{2,number,#}", options.tls() == null ? "http" : "https",
                options.host(), s.port());
        return s;
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    private void routes(HttpRouting.Builder r) {
        r.addFilter(options.access().filter(json, metrics.route("access_refused")));
        r.get("/v1/users/{id}/recommendations", handler("recommendations", this::recommendations))
                .get("/v1/users/{id}/interactions", handler("user_interactions", this::userInteractions))
                .post("/v1/interactions", handler("record_interactions", this::recordInteractions))
                .post("/v1/items", handler("add_item", this::addItem))
                .get("/v1/items/{id}", handler("get_item", this::getItem))
                .delete("/v1/items/{id}", handler("remove_item", this::removeItem))
                .post("/v1/admin/reload", handler("reload", this::reload))
                .post("/v1/admin/snapshot", handler("snapshot", this::snapshot))
                .post("/v1/admin/retrain", handler("retrain",
                        req -> new Reply(200, RetrainReplies.body(RetrainReplies.retrain(rec), rec))))
                .post("/v1/admin/rollback", handler("rollback",
                        req -> new Reply(200, RetrainReplies.body(RetrainReplies.rollback(rec), rec))))
                .get("/health", handler("health", this::health))
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, metrics.contentType());
                    res.send(metrics.scrape());
                })
                .any(handler("unknown", req -> {
                    throw new ApiError(404, "not_found", "path", "no route for " + req.prologue().method().text()
                            + " " + req.path().path());
                }));
    }

    /** A JSON reply: status and body (an object to serialise, or the JSON bytes already written). */
    private record Reply(int status, Object body) {}

    @FunctionalInterface
    private interface Route {
        Reply handle(ServerRequest req) throws IOException;
    }

    private io.helidon.webserver.http.Handler handler(String name, Route route) {
        ServerMetrics.Route observed = metrics.route(name);
        return (req, res) -> {
            long t0 = System.nanoTime();
            inFlight.incrementAndGet();
            int status = 500;
            try {
                Reply reply;
                try {
                    if (draining) {
                        throw new ApiError(503, "shutting_down", null, "the server is shutting down");
                    }
                    reply = route.handle(req);
                } catch (ApiError e) {
                    reply = error(e.status, e.code, e.field, e.getMessage());
                } catch (CatalogException e) {
                    int st = switch (e.kind()) {
                        case UNKNOWN_USER, UNKNOWN_ITEM -> 404;
                        case DUPLICATE_ITEM, FOLLOWS_FEED -> 409;
                        case BAD_FEATURES, BAD_ARGUMENT -> 400;
                    };
                    reply = error(st, e.kind().name().toLowerCase(java.util.Locale.ROOT), e.field(), e.getMessage());
                } catch (BundleFormatException e) {
                    reply = error(422, "bad_bundle", "bundle", e.getMessage());
                } catch (java.io.UncheckedIOException e) {
                    // The journal could not be written or synced: the change is not acknowledged.
                    LOG.log(System.Logger.Level.ERROR, "state write failed: " + req.path().path(), e);
                    reply = error(503, "state_unavailable", null, "the change could not be made durable; the"
                            + " server refuses changes until it is restarted");
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "request failed: " + req.path().path(), e);
                    reply = error(500, "internal", null, "internal error: " + e.getClass().getSimpleName());
                }
                status = reply.status();
                res.status(status);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(reply.body() instanceof byte[] b ? b : json.writeValueAsBytes(reply.body()));
            } finally {
                inFlight.decrementAndGet();
                observed.observe(status, System.nanoTime() - t0);
            }
        };
    }

    private static Reply error(int status, String code, String field, String message) {
        return new Reply(status, ApiError.body(status, code, field, message));
    }

    private Reply recommendations(ServerRequest req) throws IOException {
        String user = req.path().pathParameters().get("id");
        int k = 10;
        if (req.query().contains("k")) {
            String text = req.query().get("k");
            try {
                k = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("k", "k '" + text + "' is not an integer");
            }
            if (k < 1 || k > options.maxK()) {
                throw ApiError.badRequest("k", "k must be in 1.." + options.maxK() + ", got " + k);
            }
        }
        ItemFilter filter = ItemFilter.ALL;
        if (req.query().contains("items")) {
            String text = req.query().get("items");
            filter = switch (text) {
                case "all" -> ItemFilter.ALL;
                case "warm" -> ItemFilter.WARM;
                case "cold" -> ItemFilter.COLD;
                default -> throw ApiError.badRequest("items", "items '" + text + "': use all, warm or cold");
            };
        }
        return new Reply(200, recommendationsJson(rec.recommendations(user, k, filter)));
    }

    /**
     * {@code {"user": .., "model": .., "basis": "model"|"fold_in"|"popular", "items": [{"id": .., "score": ..}, ..]}}
     * (for "popular" the scores are interaction counts), written with Jackson's
     * streaming generator: the hottest response, and data binding (a record per item, bean property
     * writers) cost more than the rest of the response path together.
     */
    private byte[] recommendationsJson(Recommendations recs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + 48 * recs.items().size());
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("user", recs.user());
            g.writeStringField("model", recs.modelVersion());
            g.writeStringField("basis", recs.basis().name().toLowerCase(java.util.Locale.ROOT));
            g.writeArrayFieldStart("items");
            for (Recommendation r : recs.items()) {
                g.writeStartObject();
                g.writeStringField("id", r.itemId());
                g.writeNumberField("score", r.score());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private Reply addItem(ServerRequest req) throws IOException {
        NewItem item = ItemRequests.item(ItemRequests.parse(json, body(req)));
        rec.addItems(List.of(item));
        return new Reply(201, Map.of("id", item.id(), "catalog_size", rec.catalogSize()));
    }

    private Reply getItem(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!rec.containsItem(id)) {
            throw new ApiError(404, "unknown_item", "id", "unknown item id '" + id + "'");
        }
        return new Reply(200, Map.of("id", id));
    }

    private Reply recordInteractions(ServerRequest req) throws IOException {
        List<Interaction> entries = InteractionRequests.interactions(ItemRequests.parse(json, body(req)));
        List<InteractionOutcome> outcomes = rec.recordInteractions(entries);
        List<Map<String, Object>> results = new ArrayList<>(outcomes.size());
        int recorded = 0;
        for (InteractionOutcome o : outcomes) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", o.index());
            r.put("status", o.recorded() ? "recorded" : o.error());
            if (o.message() != null) {
                r.put("message", o.message());
            }
            results.add(r);
            recorded += o.recorded() ? 1 : 0;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recorded", recorded);
        body.put("rejected", outcomes.size() - recorded);
        body.put("results", results);
        return new Reply(200, body);
    }

    private Reply userInteractions(ServerRequest req) {
        String user = req.path().pathParameters().get("id");
        return new Reply(200, Map.of("user", user, "items", rec.recordedItems(user)));
    }

    private Reply snapshot(ServerRequest req) {
        if (!rec.durable()) {
            throw new ApiError(409, "no_state_directory", null, "this server keeps no state directory (start it with"
                    + " --state DIR)");
        }
        StateDirectory.SnapshotInfo s = rec.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generation", s.generation());
        body.put("last_record", s.lastSeq());
        body.put("added_items", s.addedItems());
        body.put("removed_items", s.removedItems());
        body.put("interactions", s.interactions());
        return new Reply(200, body);
    }

    private Reply removeItem(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        rec.removeItems(List.of(id));
        return new Reply(200, Map.of("id", id, "removed", true, "catalog_size", rec.catalogSize()));
    }

    private Reply reload(ServerRequest req) throws IOException {
        byte[] body = body(req);
        Path bundle = options.bundle();
        if (body.length > 0) {
            JsonNode n = ItemRequests.parse(json, body);
            JsonNode b = n.get("bundle");
            if (b != null && !b.isNull()) {
                if (!b.isTextual() || b.asText().isBlank()) {
                    throw ApiError.badRequest("bundle", "\"bundle\" must be a path");
                }
                if (bundleRoot == null) {
                    throw new ApiError(403, "forbidden", "bundle", "this server has no bundle root to load from");
                }
                bundle = bundleRoot.resolve(b.asText());
            }
        }
        if (bundle == null) {
            throw ApiError.badRequest("bundle", "no bundle to reload: name one in the body");
        }
        try {
            rec.reload(bundle);
        } catch (BundleFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "reload refused: " + e.getMessage());
            throw new ApiError(422, "bad_bundle", "bundle", bundleRoot == null ? "the bundle cannot be loaded"
                    : bundleRoot.describe(e));
        }
        metrics.reloaded();
        return new Reply(200, Map.of("model_version", rec.modelVersion(), "catalog_size", rec.catalogSize()));
    }

    private Reply health(ServerRequest req) {
        Map<String, Object> health = new java.util.LinkedHashMap<>(Map.of("status", "ok", "model_version",
                rec.modelVersion(), "catalog_size", rec.catalogSize(), "retrieval", rec.retrievalInUse(),
                "content_fusion", rec.contentFusionWeight()));
        double recall = rec.retrievalRecall();
        if (Double.isFinite(recall)) {
            health.put("retrieval_recall", recall);
        }
        return new Reply(200, health);
    }

    private byte[] body(ServerRequest req) throws IOException {
        int limit = options.maxBodyBytes();
        var length = req.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > limit) {
            throw new ApiError(413, "body_too_large", "body", "body of " + length.getAsLong()
                    + " bytes is larger than the limit of " + limit);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new ApiError(413, "body_too_large", "body", "body is larger than the limit of " + limit + " bytes");
            }
            return b;
        }
    }

    /**
     * Stops taking requests (new ones get 503), waits up to {@code timeout} for those in flight, then
     * stops the server. Returns whether every in-flight request finished.
     */
    public boolean drain(Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean clean = inFlight.get() == 0;
        server.stop();
        return clean;
    }

    /** Stops the server at once (in-flight requests get up to the server's short grace period). */
    @Override
    public void close() {
        draining = true;
        server.stop();
    }
}
