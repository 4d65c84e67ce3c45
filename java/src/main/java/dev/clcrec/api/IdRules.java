package dev.clcrec.api;

import java.util.regex.Pattern;

/**
 * What a user or item id added at run time may look like: 1 to {@value #MAX_LENGTH} characters of
 * {@code A-Z a-z 0-9 . _ ~ : @ -}, starting with a letter or a digit.
 *
 * <p>Why this set: every character is legal unescaped in a URL path segment (RFC 3986 unreserved, plus
 * {@code :} and {@code @}), so an id that can be added can also be named in
 * {@code /v1/users/{id}/...} and {@code DELETE /v1/items/{id}}, escaped or not; {@code /}, {@code %},
 * {@code +}, spaces and non-ASCII letters are out because proxies and clients decode, fold or split them
 * differently. The first character rules out {@code .} and {@code ..} (dot segments that clients remove
 * from a path) and a leading {@code -} (read as a flag on command lines). Ids that came with the training
 * data are taken as they are; these rules apply to what is added afterwards.
 */
public final class IdRules {
    /** The longest id accepted. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~:@-]{0," + (MAX_LENGTH - 1) + "}");

    private IdRules() {}

    /** Whether {@code id} may be added. */
    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Refuses an item id outside the rules with a {@link CatalogException} (kind BAD_ARGUMENT, field
     * {@code id}); {@code where} says which one, e.g. {@code items[3].id}.
     */
    public static void checkItemId(String id, String where) {
        check(id, "id", where);
    }

    /** As {@link #checkItemId}, for a user id (field {@code user}). */
    public static void checkUserId(String id, String where) {
        check(id, "user", where);
    }

    private static void check(String id, String field, String where) {
        if (isValid(id)) {
            return;
        }
        String problem;
        if (id == null || id.isEmpty()) {
            problem = "is empty";
        } else if (id.length() > MAX_LENGTH) {
            problem = "is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        } else {
            problem = "'" + printable(id) + "' is not allowed: use 1-" + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ ~ : @ -, starting with a letter or digit";
        }
        throw new CatalogException(CatalogException.Kind.BAD_ARGUMENT, field, where + " " + problem);
    }

    /** The id with control characters shown as escapes, so a message stays one readable line. */
    private static String printable(String id) {
        StringBuilder b = new StringBuilder();
        id.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
