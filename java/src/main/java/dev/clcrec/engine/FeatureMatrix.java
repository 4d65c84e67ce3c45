package dev.clcrec.engine;

import java.lang.foreign.MemorySegment;

/** One content modality: float32 row-major {@code rows x cols} in native memory. */
public record FeatureMatrix(String name, MemorySegment data, long rows, long cols) {}
