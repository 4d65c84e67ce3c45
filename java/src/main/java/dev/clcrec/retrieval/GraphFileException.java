package dev.clcrec.retrieval;

import java.io.IOException;

/** A stored graph that cannot be used: damaged, or written for other vectors or other settings. */
public final class GraphFileException extends IOException {
    /** Why the file was refused. */
    public enum Kind {
        /** Not a graph file, truncated, or failing its checksum or a structural check. */
        CORRUPT,
        /** A sound file for another catalog size, dimension or graph settings: rebuild instead. */
        MISMATCH
    }

    private final Kind kind;

    GraphFileException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
