package dev.clcrec.bundle;

import java.nio.file.Path;

/** A model bundle that cannot be served: missing, corrupt, truncated or inconsistent. Names the file. */
public final class BundleFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public BundleFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public BundleFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or the bundle folder) at fault. */
    public Path file() {
        return file;
    }
}
