package dev.clcrec.state;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The durable home of a service's live state (FORMAT.md): a {@code CURRENT} pointer naming the
 * generation in force, that generation's snapshot (none for generation 0), and the journals of
 * that generation and any later one. {@link #open} recovers the acknowledged state by replaying the
 * snapshot and then every journal in order; {@link #append} journals a change, and a change is
 * acknowledged only after {@link #awaitDurable}. A snapshot first rotates to a new journal (so
 * writers go on at once), then writes the snapshot beside the live files, then moves {@code CURRENT}
 * to it with an atomic rename, and only then deletes what it replaced: a crash at any moment leaves
 * either the old pointer with every journal since, or the new one with its own.
 *
 * <p>One process at a time: the directory is locked ({@code LOCK}) while open. Appends may come
 * from any thread; the caller orders them (the order of appends is the order of replay).
 */
public final class StateDirectory implements Closeable {
    private static final System.Logger LOG = System.getLogger(StateDirectory.class.getName());
    private static final String CURRENT = "CURRENT";
    private static final String LOCK = "LOCK";
    private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{12})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{12})");

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ReentrantLock snapshots = new ReentrantLock();
    private volatile JournalWriter journal;
    private volatile long journalGeneration;
    private volatile long recordsSinceSnapshot;
    private long generation;

    private StateDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A journaled change: wait on it with {@link #awaitDurable} before acknowledging. */
    public static final class Receipt {
        private final JournalWriter journal;
        private final long end;

        private Receipt(JournalWriter journal, long end) {
            this.journal = journal;
            this.end = end;
        }
    }

    /** What a finished snapshot holds. */
    public record SnapshotInfo(long generation, long lastSeq, long records, long addedItems, long removedItems,
                               long interactions, Path folder) {}

    /** Receives the recovered events in order. */
    @FunctionalInterface
    public interface Replay {
        void apply(StateEvent event);
    }

    /**
     * Opens (creating if needed) and recovers {@code dir}: every acknowledged event goes to
     * {@code replay} in order. A torn tail of the newest journal is cut off with a warning; any other
     * damage throws {@link JournalCorruptException} naming the file and offset, changing nothing.
     */
    public static StateDirectory open(Path dir, Replay replay) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + dir, e);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                throw new IllegalStateException("state directory " + dir + " is in use by another server (" + LOCK
                        + " is locked)");
            }
            StateDirectory s = new StateDirectory(dir, ch, l);
            try {
                s.recover(replay);
            } catch (RuntimeException e) {
                s.releaseLock();
                throw e;
            }
            return s;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock state directory " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private void recover(Replay replay) throws IOException {
        Path current = dir.resolve(CURRENT);
        TreeMap<Long, Path> journals = list(JOURNAL);
        if (!Files.exists(current)) {
            if (!journals.isEmpty() || !list(SNAPSHOT).isEmpty()) {
                throw new JournalCorruptException(current, 0, "missing, but the directory holds journals or snapshots");
            }
            StateFiles.writeAtomically(current, pointer(0));
        }
        generation = readPointer(current);
        long lastSeq = 0;
        long replayed = 0;
        if (generation > 0) {
            SnapshotFiles.Manifest m = SnapshotFiles.read(dir, generation, (seq, e) -> replay.apply(e));
            lastSeq = m.lastSeq();
            replayed += m.records();
        }
        long expectedGeneration = generation;
        long nextSeq = lastSeq + 1;
        JournalReader.Result last = null;
        Path lastFile = null;
        List<Long> live = new ArrayList<>(journals.tailMap(generation, true).keySet());
        for (int i = 0; i < live.size(); i++) {
            long g = live.get(i);
            Path file = journals.get(g);
            if (g != expectedGeneration) {
                throw new JournalCorruptException(file, 0, "journal generation " + g + " follows " + (expectedGeneration - 1)
                        + "; generation " + expectedGeneration + " is missing");
            }
            boolean newest = i == live.size() - 1;
            if (newest && JournalReader.tornAtCreation(file)) {
                // A crash while the journal was being created (at the start or at a snapshot's
                // rotation): nothing in it was acknowledged. Without it the state is exactly the one
                // before the creation, which recovery then continues.
                LOG.log(System.Logger.Level.WARNING, "{0}: a journal whose creation was interrupted ({1} bytes, no"
                        + " valid header); nothing in it was acknowledged, removed", file, Files.size(file));
                Files.delete(file);
                StateFiles.syncDirectory(dir);
                break;
            }
            last = JournalReader.read(file, g, nextSeq, newest, (seq, e) -> replay.apply(e));
            lastFile = file;
            nextSeq = last.nextSeq();
            replayed += last.records();
            expectedGeneration++;
        }
        if (last == null) {
            journalGeneration = generation;
            journal = JournalWriter.create(journalFile(generation), generation, nextSeq);
            recordsSinceSnapshot = 0;
        } else {
            journalGeneration = expectedGeneration - 1;
            journal = JournalWriter.resume(lastFile, nextSeq, last.end());
            recordsSinceSnapshot = nextSeq - 1 - lastSeq;
        }
        removeReplaced();
        LOG.log(System.Logger.Level.INFO, "state {0}: generation {1}, {2} records replayed", dir, generation, replayed);
    }

    /** Journals a change (not yet durable). Callers serialise appends in the order they apply changes. */
    public Receipt append(StateEvent event) {
        JournalWriter w = journal;
        JournalWriter.Receipt r = w.append(EventCodec.encode(event));
        recordsSinceSnapshot++;
        return new Receipt(w, r.end());
    }

    /** Returns once the change is on disk; concurrent callers share one fsync. */
    public void awaitDurable(Receipt receipt) {
        receipt.journal.awaitDurable(receipt.end);
    }

    /** Records journaled since the snapshot in force (or since the start). */
    public long recordsSinceSnapshot() {
        return recordsSinceSnapshot;
    }

    /** A started snapshot: the journal has moved on; the state up to {@code lastSeq} is to be written. */
    public record Rotation(long generation, long lastSeq) {}

    /**
     * Starts a snapshot: syncs the journal and continues in a new one. Call it where no append can
     * run at the same time (the caller's write lock), capture the state there, then call
     * {@link #completeSnapshot} outside that lock. Snapshots run one at a time; this waits for one
     * in progress.
     */
    public Rotation beginSnapshot() {
        snapshots.lock();
        try {
            JournalWriter old = journal;
            old.sync();
            long next = journalGeneration + 1;
            long firstSeq = old.nextSeq();
            journal = JournalWriter.create(journalFile(next), next, firstSeq);
            journalGeneration = next;
            recordsSinceSnapshot = 0;
            old.close();
            return new Rotation(next, firstSeq - 1);
        } catch (RuntimeException e) {
            snapshots.unlock();
            throw e;
        }
    }

    /** Writes the captured state as the rotation's snapshot and makes it the state in force. */
    public SnapshotInfo completeSnapshot(Rotation rotation, List<StateEvent> state) {
        try {
            long added = 0;
            long removed = 0;
            long interactions = 0;
            for (StateEvent e : state) {
                switch (e) {
                    case StateEvent.ItemsAdded a -> added += a.items().size();
                    case StateEvent.ItemsRemoved r -> removed += r.ids().size();
                    case StateEvent.InteractionsRecorded i -> interactions += i.interactions().size();
                    case StateEvent.FeedBatch f -> { }
                }
            }
            SnapshotFiles.Manifest m = SnapshotFiles.write(dir, rotation.generation(), rotation.lastSeq(), state, added,
                    removed, interactions);
            StateFiles.writeAtomically(dir.resolve(CURRENT), pointer(rotation.generation()));
            generation = rotation.generation();
            removeReplaced();
            LOG.log(System.Logger.Level.INFO, "state {0}: snapshot generation {1} through record {2}", dir,
                    generation, rotation.lastSeq());
            return new SnapshotInfo(generation, rotation.lastSeq(), m.records(), added, removed, interactions,
                    SnapshotFiles.folder(dir, generation));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish snapshot " + rotation.generation() + " in " + dir, e);
        } finally {
            snapshots.unlock();
        }
    }

    /** Deletes journals and snapshots older than the generation in force, and unpublished snapshots. */
    private void removeReplaced() throws IOException {
        for (var e : list(JOURNAL).headMap(generation, false).values()) {
            Files.deleteIfExists(e);
        }
        for (var e : list(SNAPSHOT).entrySet()) {
            if (e.getKey() != generation) {
                StateFiles.deleteTree(e.getValue());
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".snapshot-")).toList()) {
                StateFiles.deleteTree(p);
            }
        }
        StateFiles.syncDirectory(dir);
    }

    private Path journalFile(long g) {
        return dir.resolve(String.format("journal-%012d.log", g));
    }

    private TreeMap<Long, Path> list(Pattern pattern) throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        return out;
    }

    private static byte[] pointer(long generation) {
        String body = "clcrec-state 1\ngeneration " + generation + "\n";
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        return (body + "crc32c " + Integer.toHexString(JournalFormat.crc(b, 0, b.length)) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static long readPointer(Path current) throws IOException {
        String text = Files.readString(current, StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("(clcrec-state 1\ngeneration (\\d+)\n)crc32c ([0-9a-f]+)\n").matcher(text);
        if (!m.matches()) {
            throw new JournalCorruptException(current, 0, "not a state pointer (expected 'clcrec-state 1',"
                    + " 'generation N', 'crc32c X')");
        }
        byte[] b = m.group(1).getBytes(StandardCharsets.US_ASCII);
        if (!Integer.toHexString(JournalFormat.crc(b, 0, b.length)).equals(m.group(3))) {
            throw new JournalCorruptException(current, 0, "checksum does not match");
        }
        return Long.parseLong(m.group(2));
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do with a lock file that will not close
            }
        }
    }

    /** Syncs the journal and releases the directory. */
    @Override
    public void close() {
        try {
            JournalWriter w = journal;
            if (w != null) {
                try {
                    w.sync();
                } finally {
                    w.close();
                }
            }
        } finally {
            releaseLock();
        }
    }
}
