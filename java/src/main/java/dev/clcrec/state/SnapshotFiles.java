package dev.clcrec.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A snapshot folder {@code snapshot-<generation>}: the whole live state as a list of events in the
 * journal's record format ({@code events.log}) and a {@code manifest.json} with its size, SHA-256,
 * counts and the last journal record it includes. Written in a hidden temporary folder and renamed
 * into place once every file is synced, so a snapshot folder is either whole or absent; it becomes
 * the state only when the directory's CURRENT pointer names it.
 */
final class SnapshotFiles {
    static final String EVENTS = "events.log";
    static final String MANIFEST = "manifest.json";
    static final String FORMAT = "clcrec-state-snapshot";
    static final int FORMAT_VERSION = 1;

    /** The manifest of a snapshot. */
    record Manifest(String format, int formatVersion, long generation, long lastSeq, String created, long records,
                    long eventsBytes, String eventsSha256, long addedItems, long removedItems, long interactions) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private SnapshotFiles() {}

    static Path folder(Path stateDir, long generation) {
        return stateDir.resolve(String.format("snapshot-%012d", generation));
    }

    static Manifest write(Path stateDir, long generation, long lastSeq, List<StateEvent> events, long addedItems,
                          long removedItems, long interactions) {
        Path target = folder(stateDir, generation);
        Path tmp = stateDir.resolve("." + target.getFileName() + ".tmp");
        try {
            StateFiles.deleteTree(tmp);
            StateFiles.deleteTree(target); // an unpublished one left by a crash
            Files.createDirectories(tmp);
            Path log = tmp.resolve(EVENTS);
            try (JournalWriter w = JournalWriter.create(log, generation, 1)) {
                for (StateEvent e : events) {
                    w.append(EventCodec.encode(e));
                }
                w.sync();
            }
            Manifest m = new Manifest(FORMAT, FORMAT_VERSION, generation, lastSeq, Instant.now().toString(),
                    events.size(), Files.size(log), sha256(log), addedItems, removedItems, interactions);
            Path manifest = tmp.resolve(MANIFEST);
            Files.write(manifest, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
            StateFiles.syncFile(manifest);
            StateFiles.syncDirectory(tmp);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            StateFiles.syncDirectory(stateDir);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + target, e);
        }
    }

    /** Verifies a snapshot and hands its events to the sink; returns its manifest. */
    static Manifest read(Path stateDir, long generation, JournalReader.Sink sink) {
        Path dir = folder(stateDir, generation);
        Path manifestFile = dir.resolve(MANIFEST);
        Manifest m;
        try {
            m = JSON.readValue(manifestFile.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new JournalCorruptException(manifestFile, 0, "cannot read the snapshot manifest: " + e.getMessage());
        }
        if (!FORMAT.equals(m.format()) || m.formatVersion() != FORMAT_VERSION || m.generation() != generation) {
            throw new JournalCorruptException(manifestFile, 0, "not a version " + FORMAT_VERSION
                    + " snapshot manifest of generation " + generation);
        }
        Path log = dir.resolve(EVENTS);
        try {
            if (Files.size(log) != m.eventsBytes() || !sha256(log).equals(m.eventsSha256())) {
                throw new JournalCorruptException(log, 0, "size or SHA-256 differs from " + manifestFile);
            }
        } catch (IOException e) {
            throw new JournalCorruptException(log, 0, "cannot read: " + e.getMessage());
        }
        JournalReader.Result r = JournalReader.read(log, generation, 1, false, sink);
        if (r.records() != m.records()) {
            throw new JournalCorruptException(log, r.end(), r.records() + " records, the manifest says " + m.records());
        }
        return m;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
