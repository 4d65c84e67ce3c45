package dev.clcrec.cli;

import java.util.Locale;
import picocli.CommandLine;

/** What {@code --hybrid} draws as the U-I term's encoder-output rows. */
enum HybridUnit {
    /** Single rows with replacement, as the reference. */
    ROWS,
    /** A pair's positive and all its negatives together. */
    GROUPS;

    String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static HybridUnit parse(String value) {
        for (HybridUnit u : values()) {
            if (u.flagValue().equals(value)) {
                return u;
            }
        }
        throw new IllegalArgumentException("--hybrid must be rows or groups, got '" + value + "'");
    }

    static final class Converter implements CommandLine.ITypeConverter<HybridUnit> {
        @Override
        public HybridUnit convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
