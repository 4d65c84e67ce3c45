package dev.clcrec.data.layout;

import dev.clcrec.data.DatasetFormatException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Id mapping files: one external id per line, line {@code i} (0-based) is dense id {@code i}. */
public final class IdFiles {
    private IdFiles() {}

    public static List<String> read(Path file, int expected) {
        dev.clcrec.data.InputFiles.requireRegular(file);
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.getLast().isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
            }
            if (lines.size() != expected) {
                throw new DatasetFormatException(file + ": " + lines.size() + " ids, expected " + expected
                        + " (one external id per line, in dense-id order)");
            }
            return List.copyOf(lines);
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, List<String> ids) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("external id at dense id " + i + " contains a line break");
                }
                w.write(id);
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
