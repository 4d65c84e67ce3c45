package dev.clcrec.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** A duration flag: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT15M}). */
final class DurationText {
    private DurationText() {}

    /** @throws IllegalArgumentException naming the flag and the accepted forms */
    static Duration parse(String flag, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return positive(flag, text, Duration.parse(t.toUpperCase(Locale.ROOT)));
            }
            if (t.length() >= 2) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> null;
                };
                if (d != null) {
                    return positive(flag, text, d);
                }
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(flag + ": '" + text + "' is not a duration (e.g. 90s, 15m, 2h, 1d or PT15M)");
    }

    private static Duration positive(String flag, String text, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(flag + ": '" + text + "' must be longer than zero");
        }
        return d;
    }
}
