package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.helidon.http.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access rule itself, request by request; {@link SecureServerTest} checks it on a real server. */
class AccessControlTest {
    static final String TOKEN = "0123456789abcdef-secret";
    final AccessControl writes = AccessControl.bearerToken(TOKEN, false);
    final AccessControl all = AccessControl.bearerToken(TOKEN, true);

    @Test
    void everyMethodButTheSafeOnesNeedsTheTokenWhateverThePath() {
        for (String path : List.of("/v1/items", "/v1/items/x", "/v1/interactions", "/v1/admin/snapshot", "/health",
                "/v1/not-yet-a-route", "/")) {
            for (Method m : List.of(Method.POST, Method.PUT, Method.DELETE, Method.PATCH, Method.TRACE,
                    Method.create("PROPFIND"))) {
                assertTrue(writes.requiresToken(m, path), m.text() + " " + path);
            }
        }
        for (String path : List.of("/v1/users/u1/recommendations", "/health", "/metrics", "/v1/nothing")) {
            for (Method m : List.of(Method.GET, Method.HEAD, Method.OPTIONS)) {
                assertFalse(writes.requiresToken(m, path), m.text() + " " + path);
                assertTrue(all.requiresToken(m, path), "--protect-reads: " + m.text() + " " + path);
            }
        }
    }

    @Test
    void everythingUnderAdminNeedsTheTokenHoweverThePathIsSpelt() {
        for (String path : List.of("/v1/admin", "/v1/admin/", "/v1/admin/reload", "/v1/admin/anything/later",
                "//v1/admin/x", "/v1//admin/x", "/v1/./admin/x", "/v1/x/../admin/x", "/./v1/admin", "v1/admin/x")) {
            assertTrue(AccessControl.isAdmin(path), path);
            assertTrue(writes.requiresToken(Method.GET, path), path);
            assertTrue(writes.requiresToken(Method.HEAD, path), path);
        }
        for (String path : List.of("/v1/administrator", "/v1/users/admin/recommendations", "/admin/v1", "/v1",
                "/v1/admin/../items")) {
            assertFalse(AccessControl.isAdmin(path), path);
        }
    }

    @Test
    void aMissingOrMalformedHeaderIs401AWrongTokenIs403() {
        assertEquals(401, writes.check(Method.POST, "/v1/items", List.of()));
        assertEquals(401, writes.check(Method.POST, "/v1/items", List.of("Basic dXNlcjpwYXNz")));
        assertEquals(401, writes.check(Method.POST, "/v1/items", List.of("Bearer")));
        assertEquals(401, writes.check(Method.POST, "/v1/items", List.of("Bearer   ")));
        assertEquals(401, writes.check(Method.POST, "/v1/items", List.of(TOKEN))); // no scheme
        assertEquals(401, writes.check(Method.POST, "/v1/items", List.of("Bearer " + TOKEN, "Bearer " + TOKEN)));
        assertEquals(403, writes.check(Method.POST, "/v1/items", List.of("Bearer " + TOKEN + "x")));
        assertEquals(403, writes.check(Method.POST, "/v1/items", List.of("Bearer " + TOKEN.substring(1))));
        assertEquals(403, writes.check(Method.POST, "/v1/items", List.of("Bearer " + TOKEN.toUpperCase())));
        assertEquals(403, writes.check(Method.POST, "/v1/items", List.of("Bearer x")));
        assertEquals(0, writes.check(Method.POST, "/v1/items", List.of("Bearer " + TOKEN)));
        assertEquals(0, writes.check(Method.POST, "/v1/items", List.of("bearer  " + TOKEN + " ")));
        assertEquals(0, writes.check(Method.GET, "/health", List.of()));
        assertEquals(0, writes.check(Method.GET, "/health", List.of("Bearer wrong"))); // a read ignores the header
        assertEquals(401, all.check(Method.GET, "/health", List.of()));
    }

    @Test
    void withoutATokenNothingIsChecked() {
        AccessControl open = AccessControl.unauthenticated();
        assertFalse(open.hasToken());
        assertEquals(0, open.check(Method.DELETE, "/v1/items/x", List.of()));
        assertEquals(0, open.check(Method.POST, "/v1/admin/reload", List.of("Bearer whatever")));
    }

    @Test
    void weakOrUnsendableTokensAreRefusedWithoutEchoingThem() {
        for (String bad : List.of("short", "fifteen-chars-x", "has a space in it!!", "tab\there-0123456789",
                "caf\u00e9-0123456789abc", "x".repeat(4097))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AccessControl.bearerToken(bad, false));
            assertFalse(e.getMessage().contains(bad), e.getMessage());
            assertTrue(e.getMessage().startsWith("the access token "), e.getMessage());
        }
        assertTrue(AccessControl.bearerToken("x".repeat(16), false).hasToken());
    }
}
