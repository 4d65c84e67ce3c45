package dev.clcrec.api;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdRulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "7", "item-9", "A.b_c~d:e@f-g", "user@example.com", "urn:isbn:0451450523",
            "v1.2.3", "x..y", "a-", "a."})
    void idsInTheDocumentedSetAreAccepted(String id) {
        assertTrue(IdRules.isValid(id), id);
        IdRules.checkItemId(id, "items[0].id");
        IdRules.checkUserId(id, "interactions[0].user");
    }

    @Test
    void theLongestAcceptedIdIs128Characters() {
        assertTrue(IdRules.isValid("a".repeat(IdRules.MAX_LENGTH)));
        assertFalse(IdRules.isValid("a".repeat(IdRules.MAX_LENGTH + 1)));
        CatalogException e = assertThrows(CatalogException.class,
                () -> IdRules.checkItemId("a".repeat(129), "items[2].id"));
        assertEquals("items[2].id is 129 characters long; at most 128 are allowed", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a/b", "/", "a b", ".", "..", ".hidden", "-rf", "_x", "~x", ":x", "@x", "a%2Fb",
            "a+b", "a?b", "a#b", "a&b", "a\\b", "a\"b", "caf\u00e9", "a\u0000b", "a\nb", "\u0430bc"})
    void idsOutsideTheSetAreRefusedNamingTheField(String id) {
        assertFalse(IdRules.isValid(id), id);
        CatalogException item = assertThrows(CatalogException.class, () -> IdRules.checkItemId(id, "items[0].id"));
        assertEquals(CatalogException.Kind.BAD_ARGUMENT, item.kind());
        assertEquals("id", item.field());
        assertTrue(item.getMessage().startsWith("items[0].id "), item.getMessage());
        assertFalse(item.getMessage().contains("\n"), "one line: " + item.getMessage());
        CatalogException user = assertThrows(CatalogException.class, () -> IdRules.checkUserId(id, "user"));
        assertEquals("user", user.field());
    }

    @Test
    void nullIsRefusedAsEmpty() {
        assertFalse(IdRules.isValid(null));
        CatalogException e = assertThrows(CatalogException.class, () -> IdRules.checkItemId(null, "id"));
        assertEquals("id is empty", e.getMessage());
    }
}
