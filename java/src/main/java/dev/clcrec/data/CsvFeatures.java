package dev.clcrec.data;

import dev.clcrec.engine.FeatureMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A feature matrix from a CSV file: one item per non-blank line, comma-separated numbers, every line
 * the same width. Values go straight into float32 native memory, row after row.
 */
public final class CsvFeatures {
    /** More columns than any content modality has; a longer line is a corrupt or wrong file. */
    public static final int MAX_COLUMNS = 1 << 20;

    private CsvFeatures() {}

    public static FeatureMatrix read(Path file, String name, Arena arena) {
        long size = InputFiles.requireRegular(file);
        // Every value takes at least two bytes ("0,"), so the file's size bounds the element count.
        long maxValues = size / 2 + 1;
        if (maxValues > Integer.MAX_VALUE - 16) {
            throw new DatasetFormatException(file + ": " + size + " bytes is too large for CSV features; use .npy");
        }
        int cols = -1;
        long rows = 0;
        float[] values = new float[1024];
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long line = 0;
            String s;
            while ((s = in.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] parts = s.split(",", -1);
                if (parts.length > MAX_COLUMNS) {
                    throw new DatasetFormatException(file + " line " + line + ": " + parts.length
                            + " values, more than the " + MAX_COLUMNS + " a feature row may have");
                }
                if (cols < 0) {
                    cols = parts.length;
                } else if (parts.length != cols) {
                    throw new DatasetFormatException(file + " line " + line + ": " + parts.length
                            + " values, earlier lines have " + cols);
                }
                int base = Math.toIntExact(rows * cols);
                if (base + cols > values.length) {
                    values = java.util.Arrays.copyOf(values, (int) Math.min(maxValues, Math.max(2L * values.length,
                            (long) base + cols)));
                }
                for (int i = 0; i < cols; i++) {
                    values[base + i] = parse(file, line, i, parts[i]);
                }
                rows++;
            }
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (rows == 0) {
            throw new DatasetFormatException(file + ": no rows");
        }
        MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, rows * cols);
        // Offsets of MemorySegment.copy are in bytes, not elements: one copy of the whole block avoids
        // computing any row offset by hand.
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT, 0, (int) (rows * cols));
        return FeatureLoading.feature(file, name, seg, rows, cols);
    }

    private static float parse(Path file, long line, int field, String text) {
        String t = text.trim();
        float v;
        try {
            v = Float.parseFloat(t);
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(file + " line " + line + " column " + (field + 1) + ": '"
                    + abbreviate(t) + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new DatasetFormatException(file + " line " + line + " column " + (field + 1) + ": " + t
                    + " is not a finite number");
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
