package dev.clcrec.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * Who may call what: one bearer token ({@code Authorization: Bearer <token>}) guards every request that
 * can change state and everything under {@code /v1/admin/}; reads stay open unless {@code protectReads}.
 *
 * <p>The rule is by method and prefix, not by a list of routes, so a route added later is covered the day
 * it is added: any method other than GET, HEAD and OPTIONS needs the token, whatever the path (an unknown
 * path answers 401 before 404, so routes cannot be probed without it); so does any method under
 * {@code /v1/admin}. A missing or malformed header is 401 with {@code WWW-Authenticate: Bearer}; a wrong
 * token is 403. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the
 * same time wherever the first difference is and whatever the presented token's length.
 */
public final class AccessControl {
    /** Shortest token accepted: 16 characters (e.g. {@code openssl rand -hex 32} gives 64). */
    public static final int MIN_TOKEN_LENGTH = 16;
    static final int MAX_TOKEN_LENGTH = 4096;

    private static final List<Method> READS = List.of(Method.GET, Method.HEAD, Method.OPTIONS);

    private final byte[] tokenDigest; // null: no token, nothing is checked
    private final boolean protectReads;

    private AccessControl(byte[] tokenDigest, boolean protectReads) {
        this.tokenDigest = tokenDigest;
        this.protectReads = protectReads;
    }

    /**
     * No token at all: anyone who reaches the port may add, remove and reload. Only for a server no one
     * else can reach; {@code clcrec serve} offers it only behind {@code --allow-unauthenticated}.
     */
    public static AccessControl unauthenticated() {
        return new AccessControl(null, false);
    }

    /**
     * Requests that change state, and {@code /v1/admin/*}, need {@code token}; with {@code protectReads}
     * every request does.
     *
     * @throws IllegalArgumentException when the token is shorter than {@value #MIN_TOKEN_LENGTH} characters,
     *     longer than 4096, or has characters other than visible ASCII (it travels in an HTTP header)
     */
    public static AccessControl bearerToken(String token, boolean protectReads) {
        Objects.requireNonNull(token, "token");
        String problem = problem(token);
        if (problem != null) {
            throw new IllegalArgumentException("the access token " + problem);
        }
        return new AccessControl(sha256(token.getBytes(StandardCharsets.US_ASCII)), protectReads);
    }

    /** Why {@code token} cannot be a bearer token, or null when it can. Never includes the token. */
    static String problem(String token) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            return "is " + token.length() + " characters long; use at least " + MIN_TOKEN_LENGTH
                    + " (e.g. openssl rand -hex 32)";
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return "is longer than " + MAX_TOKEN_LENGTH + " characters";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "has a character other than visible ASCII at position " + i + " (no spaces or control characters)";
            }
        }
        return null;
    }

    /** Whether any token is checked at all. */
    public boolean hasToken() {
        return tokenDigest != null;
    }

    /** Whether reads (recommendations, /health, /metrics) need the token too. */
    public boolean protectsReads() {
        return protectReads;
    }

    /** Whether a request with this method and (decoded) path needs the token. */
    public boolean requiresToken(Method method, String path) {
        if (tokenDigest == null) {
            return false;
        }
        return protectReads || !READS.contains(method) || isAdmin(path);
    }

    /**
     * Whether {@code path} is under {@code /v1/admin}, read the way a router might: empty and {@code .}
     * segments dropped, {@code ..} taking one back, so {@code //v1/./admin/x} and {@code /v1/x/../admin}
     * count too.
     */
    static boolean isAdmin(String path) {
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String s : path.split("/")) {
            if (s.equals("..")) {
                segments.pollLast();
            } else if (!s.isEmpty() && !s.equals(".")) {
                segments.addLast(s);
            }
        }
        return segments.size() >= 2 && segments.pollFirst().equals("v1") && segments.pollFirst().equals("admin");
    }

    /** The outcome of checking one request: 0 when it may proceed, else 401 or 403. */
    int check(Method method, String path, List<String> authorization) {
        if (!requiresToken(method, path)) {
            return 0;
        }
        if (authorization.size() != 1) {
            return 401;
        }
        String h = authorization.getFirst().strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Bearer")) {
            return 401;
        }
        String presented = h.substring(space + 1).strip();
        if (presented.isEmpty()) {
            return 401;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(presented.getBytes(StandardCharsets.UTF_8))) ? 0 : 403;
    }

    /**
     * The Helidon filter that applies this policy before any route runs; refusals are JSON errors in the
     * server's shape and are counted under {@code refused}.
     */
    Filter filter(ObjectMapper json, ServerMetrics.Route refused) {
        return (FilterChain chain, RoutingRequest req, RoutingResponse res) -> {
            long t0 = System.nanoTime();
            int outcome = check(req.prologue().method(), req.path().path(),
                    req.headers().all(HeaderNames.AUTHORIZATION, List::of));
            if (outcome == 0) {
                chain.proceed();
                return;
            }
            String code;
            String message;
            if (outcome == 401) {
                code = "unauthorized";
                message = "this request needs an access token: send the header 'Authorization: Bearer <token>'";
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"clcrec\"");
            } else {
                code = "forbidden";
                message = "the access token is not the one this server accepts";
            }
            res.status(Status.create(outcome));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            try {
                byte[] body = json.writeValueAsBytes(ApiError.body(outcome, code, "authorization", message));
                if (req.prologue().method().equals(Method.HEAD)) {
                    res.send(); // a HEAD answer has headers only
                } else {
                    res.send(body);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            } finally {
                refused.observe(outcome, System.nanoTime() - t0);
            }
        };
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
