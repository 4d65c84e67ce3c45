package dev.clcrec.data.torch;

import dev.clcrec.data.DatasetFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive (with zip64), enough to locate the byte range of each
 * stored entry so it can be memory-mapped. {@code torch.save} writes uncompressed (STORED) entries.
 */
public record ZipDirectory(Path file, Map<String, Entry> entries) {

    /** One entry: compression method (0 = stored), sizes, and where its data starts in the file. */
    public record Entry(String name, int method, long compressedSize, long size, long dataOffset, long crc32,
                        long localHeaderOffset) {
        /** Checks the entry's stored bytes against the CRC-32 its directory record gives. */
        public void verifyCrc(Path file, java.lang.foreign.MemorySegment data) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            for (long at = 0; at < data.byteSize(); at += 1L << 30) { // a ByteBuffer holds < 2 GiB
                crc.update(data.asSlice(at, Math.min(1L << 30, data.byteSize() - at)).asByteBuffer());
            }
            if (crc.getValue() != crc32) {
                throw new DatasetFormatException(file + ": entry '" + name + "' fails its CRC-32 check (damaged, or "
                        + "its data is not what the zip headers claim)");
            }
        }
    }

    private static final int EOCD = 0x06054b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    /**
     * Reads the directory. A corrupt archive (lengths or offsets pointing outside the file or the
     * directory) fails with a DatasetFormatException naming the file, never an index error.
     */
    public static ZipDirectory read(Path file, FileChannel ch) throws IOException {
        try {
            return readDirectory(file, ch);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new DatasetFormatException(file + ": corrupt zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static ZipDirectory readDirectory(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 22 + 65535);
        ByteBuffer end = read(ch, size - tail, tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (end.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new DatasetFormatException(file + ": not a zip archive (end of central directory missing;"
                    + " truncated or not written by torch.save)");
        }
        long count = end.getShort(eocd + 10) & 0xffff;
        long cdSize = end.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
        if (eocd >= 20 && end.getInt(eocd - 20) == EOCD64_LOCATOR) {
            long eocd64Offset = end.getLong(eocd - 20 + 8);
            ByteBuffer z = read(ch, eocd64Offset, 56);
            if (z.getInt(0) != EOCD64) {
                throw new DatasetFormatException(file + ": corrupt zip64 end of central directory");
            }
            count = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        }
        if (cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) {
            throw new DatasetFormatException(file + ": corrupt zip: central directory beyond the end of the file");
        }
        ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long k = 0; k < count; k++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL) {
                throw new DatasetFormatException(file + ": corrupt zip central directory at entry " + k);
            }
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = cd.getInt(p + 16) & 0xffffffffL;
            long csize = cd.getInt(p + 20) & 0xffffffffL;
            long usize = cd.getInt(p + 24) & 0xffffffffL;
            int nameLen = cd.getShort(p + 28) & 0xffff;
            int extraLen = cd.getShort(p + 30) & 0xffff;
            int commentLen = cd.getShort(p + 32) & 0xffff;
            long local = cd.getInt(p + 42) & 0xffffffffL;
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            int x = p + 46 + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = cd.getShort(x) & 0xffff;
                int len = cd.getShort(x + 2) & 0xffff;
                if (id == 0x0001) {
                    int q = x + 4;
                    if (usize == 0xffffffffL) {
                        usize = cd.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xffffffffL) {
                        csize = cd.getLong(q);
                        q += 8;
                    }
                    if (local == 0xffffffffL) {
                        local = cd.getLong(q);
                    }
                }
                x += 4 + len;
            }
            ByteBuffer lh = read(ch, local, 30);
            if (lh.getInt(0) != LOCAL) {
                throw new DatasetFormatException(file + ": corrupt zip: no local header for entry '" + name + "'");
            }
            long dataOffset = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
            if (dataOffset + csize > size) {
                throw new DatasetFormatException(file + ": truncated zip: entry '" + name + "' needs bytes up to "
                        + (dataOffset + csize) + ", file has " + size);
            }
            if (method == 0 && csize != usize) {
                throw new DatasetFormatException(file + ": corrupt zip: stored entry '" + name + "' claims "
                        + csize + " stored bytes but " + usize + " uncompressed");
            }
            if (entries.put(name, new Entry(name, method, csize, usize, dataOffset, crc, local)) != null) {
                throw new DatasetFormatException(file + ": corrupt zip: entry '" + name + "' appears twice");
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        requireDisjoint(file, entries.values(), cdOffset);
        return new ZipDirectory(file, Map.copyOf(entries));
    }

    /**
     * Each entry's data must end before the next entry's header and before the central directory:
     * an entry whose stored data is shorter than its header claims would otherwise be read partly
     * from the zip's own metadata.
     */
    private static void requireDisjoint(Path file, java.util.Collection<Entry> entries, long cdOffset) {
        Entry[] sorted = entries.toArray(Entry[]::new);
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingLong(Entry::localHeaderOffset));
        for (int i = 0; i < sorted.length; i++) {
            long end = sorted[i].dataOffset() + sorted[i].compressedSize();
            long limit = i + 1 < sorted.length ? sorted[i + 1].localHeaderOffset() : cdOffset;
            if (end > limit) {
                throw new DatasetFormatException(file + ": corrupt zip: entry '" + sorted[i].name() + "' claims "
                        + sorted[i].compressedSize() + " bytes, which run into "
                        + (i + 1 < sorted.length ? "entry '" + sorted[i + 1].name() + "'" : "the central directory")
                        + " (its stored data is shorter than the header says)");
            }
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long p = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + p);
            }
            p += n;
        }
        b.flip();
        return b;
    }
}
