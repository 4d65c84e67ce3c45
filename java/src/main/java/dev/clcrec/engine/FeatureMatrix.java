package dev.clcrec.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * One content modality: a rows x cols float32 row-major matrix in native memory (an Arena or an
 * mmap the caller owns and keeps alive while the engine uses it; the engine copies what it keeps).
 *
 * @param name modality name for messages ("v", "a", "t", ...)
 */
public record FeatureMatrix(String name, MemorySegment data, long rows, long cols) {
    public FeatureMatrix {
        Objects.requireNonNull(name, "name");
        Segments.positive("feature matrix '" + name + "' rows", rows);
        Segments.positive("feature matrix '" + name + "' cols", cols);
        Segments.require(data, "feature matrix '" + name + "' data", Math.multiplyExact(rows, cols),
                ValueLayout.JAVA_FLOAT);
    }
}
