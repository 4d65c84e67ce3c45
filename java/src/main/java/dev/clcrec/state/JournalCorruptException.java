package dev.clcrec.state;

import java.nio.file.Path;

/**
 * A journal, snapshot or pointer file that cannot be trusted: damaged before its tail, out of
 * sequence, or not of this format. Names the file and the byte offset of the first bad record; the
 * state directory is left untouched so that it can be inspected or restored.
 */
public final class JournalCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public JournalCorruptException(Path file, long offset, String message) {
        super(file + " at offset " + offset + ": " + message);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
