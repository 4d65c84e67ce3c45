package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint unit is verified before anything loads: every damaged byte, a bare archive, and
 * weights that are NaN (even with valid checksums) are refused with an I/O error naming the file.
 */
class CheckpointIntegrityTest {
    @TempDir Path tmp;

    @Test
    void stateIsStoredInTheSameFileAndComesBackExactly() throws Exception {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(21, arena)) {
            Path file = tmp.resolve("m.ckpt");
            byte[] state = "{\"epoch\": 3}".getBytes(StandardCharsets.UTF_8);
            c.model.save(file, state);
            try (Stream<Path> files = Files.list(tmp)) {
                assertEquals(java.util.List.of(file), files.toList(), "one file, no temporaries or sidecars");
            }
            ClcrecModel.Loaded l = ClcrecModel.loadWithState(file, CheckpointTest.content(c, arena), Device.CPU, 0, 1);
            try (ClcrecModel m = l.model()) {
                assertArrayEquals(state, l.state());
                assertArrayEquals(c.model.parameter("id_embedding"), m.parameter("id_embedding"));
            }
            c.model.save(file);
            ClcrecModel.Loaded bare = ClcrecModel.loadWithState(file, CheckpointTest.content(c, arena), Device.CPU, 0, 1);
            bare.model().close();
            assertNull(bare.state(), "saved without state");
        }
    }

    @Test
    void everyDamagedRegionIsRefusedNamingTheFile() throws Exception {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(22, arena)) {
            Path good = tmp.resolve("good.ckpt");
            c.model.save(good, "{\"k\": 1}".getBytes(StandardCharsets.UTF_8));
            byte[] bytes = Files.readAllBytes(good);
            java.util.Random r = new java.util.Random(5);
            int[] positions = new int[48];
            for (int i = 0; i < positions.length; i++) {
                // a third in the header and state, the rest anywhere (mostly the archive)
                positions[i] = i % 3 == 0 ? r.nextInt(CheckpointFile.HEADER_BYTES + 8) : r.nextInt(bytes.length);
            }
            for (int pos : positions) {
                byte[] bad = bytes.clone();
                bad[pos] ^= (byte) (1 << r.nextInt(8));
                Path file = tmp.resolve("flip-" + pos + ".ckpt");
                Files.write(file, bad);
                ClcrecException e = assertThrows(ClcrecException.class,
                        () -> ClcrecModel.load(file, CheckpointTest.content(c, arena), Device.CPU, 0, 1).close(),
                        "byte " + pos + " flipped");
                assertEquals(ClcrecException.IO, e.status(), e.getMessage());
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
            Path truncated = tmp.resolve("short.ckpt");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1));
            Path longer = tmp.resolve("long.ckpt");
            Files.write(longer, Arrays.copyOf(bytes, bytes.length + 1));
            for (Path p : new Path[] {truncated, longer}) {
                ClcrecException e = assertThrows(ClcrecException.class,
                        () -> ClcrecModel.load(p, CheckpointTest.content(c, arena), Device.CPU, 0, 1).close());
                assertTrue(e.getMessage().contains("do not add up"), e.getMessage());
            }
        }
    }

    @Test
    void aBareArchiveFromAnOlderVersionIsRefusedClearly() throws Exception {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(23, arena)) {
            Path good = tmp.resolve("good.ckpt");
            c.model.save(good);
            Path bare = tmp.resolve("bare.ckpt");
            Files.write(bare, archiveOf(Files.readAllBytes(good)));
            ClcrecException e = assertThrows(ClcrecException.class,
                    () -> ClcrecModel.load(bare, CheckpointTest.content(c, arena), Device.CPU, 0, 1).close());
            assertTrue(e.getMessage().contains("older version") && e.getMessage().contains(bare.toString()),
                    e.getMessage());
        }
    }

    /** Valid checksums around NaN weights: the engine itself refuses them. */
    @Test
    void nonFiniteWeightsAreRefusedEvenWithValidChecksums() throws Exception {
        try (Arena arena = Arena.ofConfined(); RandomCase c = new RandomCase(24, arena)) {
            Path good = tmp.resolve("good.ckpt");
            c.model.save(good);
            byte[] archive = archiveOf(Files.readAllBytes(good));
            int patched = poisonTensorRecords(archive, Float.NaN);
            assertTrue(patched > 0, "found tensor records to patch");
            Path bad = tmp.resolve("nan.ckpt");
            CheckpointFile.write(bad, archive, null);
            ClcrecException e = assertThrows(ClcrecException.class,
                    () -> ClcrecModel.load(bad, CheckpointTest.content(c, arena), Device.CPU, 0, 1).close());
            assertEquals(ClcrecException.IO, e.status());
            assertTrue(e.getMessage().contains("NaN or infinite") && e.getMessage().contains(bad.toString()),
                    e.getMessage());
        }
    }

    @Test
    void staleTemporariesOfAKilledWriterAreRemoved() throws Exception {
        Path target = tmp.resolve("last.ckpt");
        Path stale = CheckpointFile.temporarySibling(target, "unit");
        Files.write(stale, new byte[0]);
        Path other = tmp.resolve("other.ckpt.tmp");
        Files.write(other, new byte[1]);
        CheckpointFile.removeStaleTemporaries(target);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other), "only this checkpoint's temporaries");
    }

    static byte[] archiveOf(byte[] unit) {
        ByteBuffer b = ByteBuffer.wrap(unit).order(ByteOrder.BIG_ENDIAN);
        long stateLen = b.getLong(12);
        return Arrays.copyOfRange(unit, (int) (CheckpointFile.HEADER_BYTES + stateLen), unit.length);
    }

    /**
     * Overwrites the first value of every float-sized tensor record ({@code .../data/N}) of a
     * torch zip archive and fixes the zip CRCs, so that only the values are wrong.
     */
    static int poisonTensorRecords(byte[] zip, float value) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = zip.length - 22; i >= 0; i--) {
            if (b.getInt(i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
        assertTrue(eocd >= 0, "end of central directory");
        int entries = Short.toUnsignedInt(b.getShort(eocd + 10));
        int p = b.getInt(eocd + 16);
        int patched = 0;
        for (int e = 0; e < entries; e++) {
            assertEquals(0x02014b50, b.getInt(p));
            int size = b.getInt(p + 24);
            int nameLen = Short.toUnsignedInt(b.getShort(p + 28));
            int extraLen = Short.toUnsignedInt(b.getShort(p + 30));
            int commentLen = Short.toUnsignedInt(b.getShort(p + 32));
            int local = b.getInt(p + 42);
            String name = new String(zip, p + 46, nameLen, StandardCharsets.UTF_8);
            if (name.matches(".*/data/\\d+") && size >= 16 && size % 4 == 0) {
                int dataAt = local + 30 + Short.toUnsignedInt(b.getShort(local + 26))
                        + Short.toUnsignedInt(b.getShort(local + 28));
                b.putFloat(dataAt, value);
                CRC32 crc = new CRC32();
                crc.update(zip, dataAt, size);
                b.putInt(local + 14, (int) crc.getValue());
                b.putInt(p + 16, (int) crc.getValue());
                patched++;
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        return patched;
    }
}
