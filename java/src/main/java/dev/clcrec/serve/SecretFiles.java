package dev.clcrec.serve;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a secret (the access token, a TLS password) from a file, the way {@code ssh} treats a private key:
 * a file that every local user may read, or that others may rewrite, is refused, because the secret is no
 * longer one; one readable by its group is accepted with a warning. The content is one line; trailing
 * line breaks are dropped. Every refusal names the file and never includes the content.
 */
public final class SecretFiles {
    private SecretFiles() {}

    /**
     * The secret in {@code file}; {@code what} names it in messages ("token file"), {@code warn} receives
     * the group-readable warning.
     *
     * @throws IllegalArgumentException when the file is missing, unreadable, not a regular file, too
     *     open, empty, longer than one line or not UTF-8
     */
    public static String read(Path file, String what, Consumer<String> warn) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a regular file");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) { // not on every file system (Windows): there only the content is checked
            Set<PosixFilePermission> p;
            try {
                p = posix.readAttributes().permissions();
            } catch (IOException e) {
                throw new IllegalArgumentException(what + " " + file + ": cannot read its permissions (" + e.getMessage()
                        + ")");
            }
            if (p.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException(what + " " + file + " is readable by every user; make it private "
                        + "(chmod 600 or 400) or pass the secret in the environment");
            }
            if (p.contains(PosixFilePermission.OTHERS_WRITE) || p.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new IllegalArgumentException(what + " " + file + " can be rewritten by other users; "
                        + "chmod 600 or 400");
            }
            if (p.contains(PosixFilePermission.GROUP_READ)) {
                warn.accept(what + " " + file + " is readable by its group; chmod 600 if the group is not meant to "
                        + "hold the secret");
            }
        }
        byte[] bytes;
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new IllegalArgumentException(what + " " + file + " is larger than 64 KiB; it should hold one line");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " " + file + " is not UTF-8 text");
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        text = text.substring(0, end);
        if (text.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " is empty");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " " + file + " has more than one line; it should hold only the "
                    + "secret");
        }
        return text;
    }
}
