package dev.clcrec.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Extracts the native library the jar carries ({@code native/<os>-<arch>/libclcrec.so}) into a per-user
 * cache, once per distinct library: the folder is named after the library's SHA-256, so a new build
 * never reuses an old file, and several JVMs starting at once each write a temporary file and move it
 * into place atomically (the same bytes, so whichever move lands last wins harmlessly). A cached
 * file whose content no longer matches its name is replaced.
 */
final class NativeLibraryCache {
    static final String FILE = "libclcrec.so";

    private NativeLibraryCache() {}

    /** Resource path of the library for this platform, e.g. {@code native/linux-x86_64/libclcrec.so}. */
    static String resource() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux") ? "linux"
                : System.getProperty("os.name", "unknown").toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch", "unknown");
        };
        return "native/" + os + "-" + arch + "/" + FILE;
    }

    /** The per-user cache root: $XDG_CACHE_HOME/clcrec, else ~/.cache/clcrec. */
    static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("clcrec").resolve("native");
    }

    /** The bundled library's bytes, when this jar (or class path) carries one for this platform. */
    static Optional<byte[]> bundled() {
        try (InputStream in = NativeLibraryCache.class.getClassLoader().getResourceAsStream(resource())) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled native library " + resource(), e);
        }
    }

    /** Writes {@code library} under {@code root/<sha256>/libclcrec.so} unless already there; returns the path. */
    static Path extract(byte[] library, Path root) {
        String hash = sha256(library);
        Path dir = root.resolve(hash.substring(0, 32));
        Path target = dir.resolve(FILE);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == library.length
                    && sha256(Files.readAllBytes(target)).equals(hash)) {
                return target;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE + ".", ".tmp");
            try {
                Files.write(tmp, library);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the native library to " + target, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
