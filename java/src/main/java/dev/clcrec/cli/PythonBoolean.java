package dev.clcrec.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses the reference's string booleans ("True"/"False", as argparse received them) and true/false, 1/0. */
final class PythonBoolean implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new TypeConversionException("'" + value + "' is not a boolean; use True or False");
        };
    }
}
