package dev.clcrec.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locating the reference fixtures and moving their arrays into native memory. */
final class Fixtures {
    private Fixtures() {}

    static Path dir(String caseName) {
        String root = System.getProperty("clcrec.fixtures", "java/src/test/resources/fixtures");
        Path dir = Path.of(root, caseName);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixture case not found: " + dir.toAbsolutePath());
        }
        return dir;
    }

    static JsonNode caseJson(Path dir) {
        try {
            return new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir.resolve("case.json"), e);
        }
    }

    static MemorySegment floats(Arena arena, float[] values) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, values.length));
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        return s;
    }

    static MemorySegment longs(Arena arena, long[] values) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, values.length));
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_LONG, 0, values.length);
        return s;
    }

    static MemorySegment bytes(Arena arena, byte[] values) {
        MemorySegment s = arena.allocate(Math.max(1, values.length));
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_BYTE, 0, values.length);
        return s;
    }

    static long[] readLongs(MemorySegment s, long count) {
        return s.asSlice(0, count * 8).toArray(ValueLayout.JAVA_LONG);
    }

    static float[] readFloats(MemorySegment s, long count) {
        return s.asSlice(0, count * 4).toArray(ValueLayout.JAVA_FLOAT);
    }

    /** max |a - b| / max |b|: the fixtures' tensor tolerance measure. */
    static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " != " + expected.length);
        }
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxAbs = Math.max(maxAbs, Math.abs((double) expected[i]));
        }
        if (Double.isNaN(maxDiff)) {
            return Double.NaN;
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }
}
