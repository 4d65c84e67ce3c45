package dev.clcrec.data;

import dev.clcrec.data.npy.NpyArray;
import dev.clcrec.data.npy.NpyDtype;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** Loads feature matrices and word pairs from {@code .npy} into native memory. */
public final class FeatureLoading {
    private FeatureLoading() {}

    /**
     * Maps a float32 {@code (rows, cols)} matrix without copying; a float64 matrix is converted
     * into float32 native memory (never through the Java heap).
     */
    public static FeatureMatrix matrix(Path file, String name, Arena arena) {
        NpyArray a = NpyFile.map(file, arena);
        if (a.header().ndim() != 2) {
            throw new DatasetFormatException(file + ": shape " + a.header().shapeString()
                    + ", expected a 2-d matrix (items x features)");
        }
        long rows = a.header().dim(0);
        long cols = a.header().dim(1);
        return switch (a.header().dtype()) {
            case FLOAT32 -> feature(file, name, a.data(), rows, cols);
            case FLOAT64 -> {
                MemorySegment out = arena.allocate(rows * cols * Float.BYTES, 64);
                for (long k = 0; k < rows * cols; k++) {
                    out.setAtIndex(ValueLayout.JAVA_FLOAT, k,
                            (float) a.data().getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, k));
                }
                yield feature(file, name, out, rows, cols);
            }
            default -> throw new DatasetFormatException(file + ": dtype " + a.header().dtype().descr()
                    + ", expected float32 (<f4) features");
        };
    }

    /** Word pairs: an integer {@code (2, count)} array, row 0 item, row 1 word; copied to int64 native memory. */
    public static WordPairs wordPairs(Path file, Arena arena, long numWords) {
        NpyArray a = NpyFile.map(file, arena).requireInteger().requireShape(2, -1);
        long count = a.header().dim(1);
        MemorySegment pairs;
        if (a.header().dtype() == NpyDtype.INT64 && a.data().address() % 8 == 0) {
            pairs = a.data();
        } else {
            pairs = arena.allocate(Math.max(1, 2 * count * Long.BYTES), 64);
            for (long k = 0; k < 2 * count; k++) {
                pairs.setAtIndex(ValueLayout.JAVA_LONG, k, a.getLong(k));
            }
        }
        long words = numWords;
        if (words < 0) {
            words = 0;
            for (long k = 0; k < count; k++) {
                words = Math.max(words, pairs.getAtIndex(ValueLayout.JAVA_LONG, count + k) + 1);
            }
        }
        try {
            return new WordPairs(pairs, count, words);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** A feature matrix whose argument checks (empty, misaligned) fail as format errors naming the file. */
    public static FeatureMatrix feature(Path file, String name, MemorySegment data, long rows, long cols) {
        try {
            return new FeatureMatrix(name, data, rows, cols);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file + ": " + e.getMessage(), e);
        }
    }
}
