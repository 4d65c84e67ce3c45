package dev.clcrec.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The first check every reader of a user-given file makes: it must exist and be a regular file.
 * Opening a FIFO, a character device or a socket blocks or never ends, so those are refused before
 * they are opened rather than after.
 */
public final class InputFiles {
    private InputFiles() {}

    /** Returns the size of {@code file}, or throws a {@link DatasetFormatException} naming it. */
    public static long requireRegular(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class); // follows links: a link to a file is fine
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a directory" : a.isSymbolicLink() && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                    ? "a broken link" : "not a regular file (a FIFO, device or socket?)";
            throw new DatasetFormatException(file + ": " + kind + ", expected a regular file");
        }
        return a.size();
    }
}
