package dev.clcrec.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The checkpoint unit on disk: the engine's archive (parameters, Adam state, config) and the
 * caller's training state in ONE file, each with a SHA-256, so that a crash can never pair the
 * weights of one epoch with the state of another and a flipped byte is found before anything loads.
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "CLCRECCK"
 *      8     4  format version (big-endian int, {@value #FORMAT_VERSION})
 *     12     8  state length S (big-endian long; 0 = no state)
 *     20     8  archive length N (big-endian long)
 *     28    32  SHA-256 of the state bytes
 *     60    32  SHA-256 of the archive bytes
 *     92    32  SHA-256 of bytes 0..91 (the header above)
 *    124     S  state (opaque to the engine; the trainer stores UTF-8 JSON)
 *  124+S     N  archive (as clcrec_model_save writes it)
 * </pre>
 * The file's size must be exactly 124 + S + N. It is written to a temporary file in the same
 * folder, forced to disk, renamed over the target and the folder forced, so a reader sees the old
 * unit or the new one, never a mixture.
 */
public final class CheckpointFile {
    public static final int FORMAT_VERSION = 2;
    static final byte[] MAGIC = "CLCRECCK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = 124;
    /** A training state is a few kilobytes of JSON; anything near this is a corrupt length field. */
    static final long MAX_STATE_BYTES = 64L << 20;
    private static final String TMP_SUFFIX = ".tmp";

    private CheckpointFile() {}

    /** A verified unit: the archive bytes (in the caller's arena) and the state (null when none was stored). */
    public record Verified(Path file, MemorySegment archive, byte[] state) {}

    /** Writes {@code archive} and {@code state} (may be null) as one unit at {@code target}, atomically. */
    public static void write(Path target, byte[] archive, byte[] state) {
        byte[] st = state == null ? new byte[0] : state;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        header.put(MAGIC).putInt(FORMAT_VERSION).putLong(st.length).putLong(archive.length);
        header.put(sha256(ByteBuffer.wrap(st))).put(sha256(ByteBuffer.wrap(archive)));
        header.put(sha256(ByteBuffer.wrap(header.array(), 0, HEADER_BYTES - 32)));
        header.flip();
        Path tmp = temporarySibling(target, "unit");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, header);
                writeFully(ch, ByteBuffer.wrap(st));
                writeFully(ch, ByteBuffer.wrap(archive));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ClcrecException(ClcrecException.IO, "cannot replace checkpoint " + target
                        + " atomically on this file system: " + e.getMessage());
            }
            forceDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ClcrecException(ClcrecException.IO, "cannot write checkpoint " + target + ": " + e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Maps {@code file} into {@code arena} and verifies magic, version, sizes and all three checksums;
     * throws {@link ClcrecException} with status IO naming the file and the first problem found.
     */
    public static Verified read(Path file, Arena arena) {
        long size = regularFileSize(file);
        if (size < HEADER_BYTES) {
            throw corrupt(file, size + " bytes, shorter than the " + HEADER_BYTES + "-byte header"
                    + (size >= 2 && looksLikeZip(file) ? " (a bare archive from an older version: it has no checksums "
                    + "and cannot be verified; train again or re-save it)" : ""));
        }
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw new ClcrecException(ClcrecException.IO, "cannot read checkpoint " + file + ": " + e.getMessage());
        }
        ByteBuffer h = all.asSlice(0, HEADER_BYTES).asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        h.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw corrupt(file, "not a CLCRec checkpoint unit (magic bytes "
                    + HexFormat.of().formatHex(magic) + (magic[0] == 'P' && magic[1] == 'K'
                    ? "; a bare archive from an older version has no checksums and cannot be verified" : "") + ")");
        }
        int version = h.getInt();
        long stateLen = h.getLong();
        long archiveLen = h.getLong();
        byte[] stateSha = new byte[32];
        byte[] archiveSha = new byte[32];
        byte[] headerSha = new byte[32];
        h.get(stateSha).get(archiveSha).get(headerSha);
        if (!Arrays.equals(headerSha, sha256(all.asSlice(0, HEADER_BYTES - 32)))) {
            throw corrupt(file, "header checksum mismatch (the file is damaged)");
        }
        if (version != FORMAT_VERSION) {
            throw corrupt(file, "format version " + version + " is not the supported " + FORMAT_VERSION);
        }
        if (stateLen < 0 || stateLen > MAX_STATE_BYTES || archiveLen <= 0
                || archiveLen != size - HEADER_BYTES - stateLen) {
            throw corrupt(file, "sizes in the header (state " + stateLen + ", archive " + archiveLen
                    + " bytes) do not add up to the file's " + size + " bytes (truncated or damaged)");
        }
        MemorySegment state = all.asSlice(HEADER_BYTES, stateLen);
        MemorySegment archive = all.asSlice(HEADER_BYTES + stateLen, archiveLen);
        if (!Arrays.equals(stateSha, sha256(state))) {
            throw corrupt(file, "training state checksum mismatch (the file is damaged)");
        }
        if (!Arrays.equals(archiveSha, sha256(archive))) {
            throw corrupt(file, "model checksum mismatch (the file is damaged)");
        }
        return new Verified(file, archive, stateLen == 0 ? null : state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /**
     * Removes the temporary files a killed writer may have left beside {@code target}. Call it only
     * while holding the folder for yourself (another writer's temporary file looks the same).
     */
    public static void removeStaleTemporaries(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = target.getFileName() + ".";
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(TMP_SUFFIX);
        })) {
            for (Path p : s) {
                deleteQuietly(p);
            }
        } catch (IOException e) {
            // Left-over temporaries waste space but never change what is loaded.
        }
    }

    /** A fresh name beside target that removeStaleTemporaries recognises. */
    static Path temporarySibling(Path target, String what) {
        return target.resolveSibling(target.getFileName() + "." + what + "-" + UUID.randomUUID() + TMP_SUFFIX);
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do; the name is recognised as a temporary and removed later
        }
    }

    private static long regularFileSize(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new ClcrecException(ClcrecException.IO, "checkpoint not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ClcrecException(ClcrecException.IO, "cannot read checkpoint " + file + ": " + e.getMessage());
        }
        if (!a.isRegularFile()) {
            throw new ClcrecException(ClcrecException.IO, "checkpoint " + file + " is not a regular file");
        }
        return a.size();
    }

    private static boolean looksLikeZip(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(2);
            ch.read(b);
            return b.get(0) == 'P' && b.get(1) == 'K';
        } catch (IOException e) {
            return false;
        }
    }

    private static ClcrecException corrupt(Path file, String what) {
        return new ClcrecException(ClcrecException.IO, "checkpoint " + file + ": " + what);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable; some file systems refuse to open a folder, then the
        // rename is as durable as they make it.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    static byte[] sha256(MemorySegment data) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (long at = 0; at < data.byteSize(); at += 1L << 30) { // a ByteBuffer holds < 2 GiB
                d.update(data.asSlice(at, Math.min(1L << 30, data.byteSize() - at)).asByteBuffer());
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static byte[] sha256(ByteBuffer data) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(data);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
