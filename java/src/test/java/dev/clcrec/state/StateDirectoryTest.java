package dev.clcrec.state;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal and snapshots: what is appended and synced comes back, damage is named, crashes lose nothing. */
class StateDirectoryTest {
    private static StateEvent add(String id) {
        return new StateEvent.ItemsAdded(List.of(new ItemContent(id, Map.of("v", new float[] {1f, 2.5f, -3f}),
                null)));
    }

    private static StateEvent interaction(String user, String item, long t) {
        return new StateEvent.InteractionsRecorded(List.of(new Interaction(user, item, t)));
    }

    private static List<StateEvent> reopen(Path dir) {
        List<StateEvent> seen = new ArrayList<>();
        StateDirectory.open(dir, seen::add).close();
        return seen;
    }

    private static List<StateEvent> write(Path dir, int n) {
        List<StateEvent> events = new ArrayList<>();
        try (StateDirectory s = StateDirectory.open(dir, e -> fail("fresh directory replayed " + e))) {
            for (int i = 0; i < n; i++) {
                StateEvent e = i % 3 == 0 ? add("item-" + i) : i % 3 == 1 ? interaction("u" + i, "item-" + (i - 1), i)
                        : new StateEvent.ItemsRemoved(List.of("item-" + (i - 2)));
                s.awaitDurable(s.append(e));
                events.add(e);
            }
        }
        return events;
    }

    private static Path journal(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    @Test
    void everyAcknowledgedEventIsReplayedInOrder(@TempDir Path dir) {
        List<StateEvent> events = write(dir, 30);
        assertEquals(events, reopen(dir));
        assertEquals(events, reopen(dir)); // reading does not change anything
    }

    @Test
    void aTornTailIsCutOffAtEveryPossibleLength(@TempDir Path dir) throws IOException {
        List<StateEvent> events = write(dir, 5);
        Path j = journal(dir);
        byte[] whole = Files.readAllBytes(j);
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            s.append(add("unacknowledged")); // written, never waited for: a crash could tear it anywhere
        }
        byte[] longer = Files.readAllBytes(j);
        assertTrue(longer.length > whole.length);
        for (int cut = whole.length + 1; cut < longer.length; cut++) {
            Files.write(j, java.util.Arrays.copyOf(longer, cut));
            assertEquals(events, reopen(dir), "cut at " + cut);
            assertEquals(whole.length, Files.size(j), "the torn tail is truncated (cut at " + cut + ")");
        }
        // After a cut the journal takes appends again and keeps them.
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            s.awaitDurable(s.append(add("after")));
        }
        List<StateEvent> expected = new ArrayList<>(events);
        expected.add(add("after"));
        assertEquals(expected, reopen(dir));
    }

    @Test
    void aFlippedByteBeforeTheTailIsRefusedNamingFileAndOffset(@TempDir Path dir) throws IOException {
        write(dir, 6);
        Path j = journal(dir);
        long size = Files.size(j);
        int flipped = 0;
        for (long at = JournalFormat.FILE_HEADER_BYTES; at < size / 2; at += 7) {
            byte[] bytes = Files.readAllBytes(j);
            bytes[(int) at] ^= 0x10;
            Files.write(j, bytes);
            JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> reopen(dir), "flip at " + at);
            assertEquals(j, e.file());
            assertTrue(e.offset() <= at && e.offset() >= JournalFormat.FILE_HEADER_BYTES, e.getMessage());
            assertTrue(e.getMessage().contains(j.toString()) && e.getMessage().contains("offset " + e.offset()),
                    e.getMessage());
            bytes[(int) at] ^= 0x10;
            Files.write(j, bytes); // restored: the refusal changed nothing
            flipped++;
        }
        assertTrue(flipped > 10);
        assertEquals(6, reopen(dir).size());
    }

    @Test
    void aDamagedFileHeaderOrPointerIsRefused(@TempDir Path dir) throws IOException {
        write(dir, 2);
        Path j = journal(dir);
        try (RandomAccessFile f = new RandomAccessFile(j.toFile(), "rw")) {
            f.seek(9);
            f.write(0x7f);
        }
        JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> reopen(dir));
        assertEquals(0, e.offset());
        Files.delete(j);
        Files.writeString(dir.resolve("CURRENT"), "clcrec-state 1\ngeneration 3\ncrc32c 0\n");
        e = assertThrows(JournalCorruptException.class, () -> reopen(dir));
        assertTrue(e.getMessage().contains("CURRENT"), e.getMessage());
    }

    @Test
    void aJournalWhoseCreationACrashInterruptedIsRemovedAndNothingIsLost(@TempDir Path dir, @TempDir Path fresh)
            throws IOException {
        List<StateEvent> events = write(dir, 5);
        Path complete = journal(dir);
        String name = complete.getFileName().toString();
        long generation = Long.parseLong(name.substring("journal-".length(), name.indexOf('.')));
        Path next = dir.resolve(name.replace(String.format("%012d", generation),
                String.format("%012d", generation + 1)));
        assertNotEquals(complete, next);
        // killed at a rotation before the new journal's header was written, or after a power loss
        // kept its length but not its bytes
        for (byte[] torn : List.of(new byte[0], new byte[7], new byte[JournalFormat.FILE_HEADER_BYTES])) {
            Files.write(next, torn);
            assertEquals(events, reopen(dir), torn.length + " bytes");
            assertFalse(Files.exists(next), "the torn journal is removed");
        }
        // the journal before it takes appends again and keeps them
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            s.awaitDurable(s.append(add("after")));
        }
        List<StateEvent> expected = new ArrayList<>(events);
        expected.add(add("after"));
        assertEquals(expected, reopen(dir));
        // the first journal of a fresh directory, torn the same way
        reopen(fresh);
        Files.write(journal(fresh), new byte[0]);
        assertEquals(List.of(), reopen(fresh));
        try (StateDirectory s = StateDirectory.open(fresh, e -> { })) {
            s.awaitDurable(s.append(add("first")));
        }
        assertEquals(List.of(add("first")), reopen(fresh));
    }

    @Test
    void aSecondServerCannotOpenTheSameDirectory(@TempDir Path dir) {
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.open(dir, x -> { }));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void snapshotsReplaceJournalsAndACrashAtAnyStepLosesNothing(@TempDir Path dir) throws IOException {
        List<StateEvent> history = new ArrayList<>(write(dir, 10));
        // A snapshot's state is whatever the owner captures; here, the history so far, folded into one list.
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            StateDirectory.Rotation r = s.beginSnapshot();
            s.awaitDurable(s.append(add("during")));
            history.add(add("during"));
            // Crash before the snapshot is complete: the old pointer and both journals give everything.
        }
        assertEquals(history, reopen(dir));
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            StateDirectory.Rotation r = s.beginSnapshot();
            StateDirectory.SnapshotInfo info = s.completeSnapshot(r, List.copyOf(history));
            assertEquals(history.size(), info.records());
            s.awaitDurable(s.append(add("after-snapshot")));
        }
        history.add(add("after-snapshot"));
        assertEquals(history, reopen(dir));
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(1, names.stream().filter(n -> n.startsWith("journal-")).count(), names.toString());
            assertEquals(1, names.stream().filter(n -> n.startsWith("snapshot-")).count(), names.toString());
        }
        // A snapshot folder damaged on disk is refused, naming its file.
        Path events;
        try (Stream<Path> files = Files.list(dir)) {
            events = files.filter(p -> p.getFileName().toString().startsWith("snapshot-")).findFirst().orElseThrow()
                    .resolve("events.log");
        }
        byte[] b = Files.readAllBytes(events);
        b[b.length / 2] ^= 1;
        Files.write(events, b);
        JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> reopen(dir));
        assertEquals(events, e.file());
    }

    @Test
    void concurrentWritersShareFsyncsAndEveryAcknowledgedRecordSurvives(@TempDir Path dir) throws Exception {
        List<StateEvent> acknowledged = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (StateDirectory s = StateDirectory.open(dir, e -> { })) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        StateEvent e = interaction("u" + thread, "i" + i, i);
                        StateDirectory.Receipt r;
                        synchronized (s) { // the owner's order of appends is the replay order
                            r = s.append(e);
                        }
                        s.awaitDurable(r);
                        acknowledged.add(e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<StateEvent> replayed = reopen(dir);
        assertEquals(400, replayed.size());
        assertEquals(new java.util.HashSet<>(acknowledged), new java.util.HashSet<>(replayed));
    }

    @Test
    void eventsRoundTripThroughTheCodecAndBadPayloadsAreNamed() {
        StateEvent words = new StateEvent.ItemsAdded(List.of(new ItemContent("w", Map.of("t", new float[0]),
                new int[] {3, 1, 4})));
        assertEquals(words, EventCodec.decode(EventCodec.encode(words)));
        StateEvent unicode = interaction("üser/1", "item ✓", Long.MIN_VALUE);
        assertEquals(unicode, EventCodec.decode(EventCodec.encode(unicode)));
        byte[] p = EventCodec.encode(add("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventCodec.decode(java.util.Arrays.copyOf(p, p.length - 1)));
        assertTrue(e.getMessage().contains("ends early") || e.getMessage().contains("does not fit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(new byte[] {9}));
    }
}
