package dev.clcrec.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a journal file record by record and verifies it. A bad record with nothing trustworthy
 * after it is a torn tail (the crash came while it was being appended, so it was never
 * acknowledged): when the file is the newest journal it is cut off there, with a warning naming the
 * file and offset. A bad record followed by any record whose header verifies is damage to
 * acknowledged data, and so is any bad record in an older journal (those were synced whole before
 * the next one began): both are refused with a {@link JournalCorruptException}.
 */
final class JournalReader {
    private static final System.Logger LOG = System.getLogger(JournalReader.class.getName());
    private static final int SCAN_CHUNK = 8 << 20;

    private JournalReader() {}

    /** Receives each verified record in order. */
    @FunctionalInterface
    interface Sink {
        void accept(long seq, StateEvent event);
    }

    /** What was read: the next sequence number and where the valid records end. */
    record Result(long nextSeq, long end, long records) {}

    static Result read(Path file, long generation, long firstSeq, boolean newest, Sink sink) {
        try (FileChannel ch = FileChannel.open(file, newest ? StandardOpenOption.WRITE : StandardOpenOption.READ,
                StandardOpenOption.READ)) {
            long size = ch.size();
            checkFileHeader(file, ch, size, generation, firstSeq);
            long pos = JournalFormat.FILE_HEADER_BYTES;
            long seq = firstSeq;
            long count = 0;
            ByteBuffer head = ByteBuffer.allocate(JournalFormat.RECORD_HEADER_BYTES);
            while (pos < size) {
                String problem = null;
                JournalFormat.Header h = null;
                byte[] payload = null;
                if (size - pos < JournalFormat.RECORD_HEADER_BYTES) {
                    problem = "a record header cut short";
                } else {
                    readFully(ch, head.clear(), pos);
                    h = JournalFormat.header(head);
                    if (h == null) {
                        problem = "a record header that does not verify";
                    } else if (pos + JournalFormat.RECORD_HEADER_BYTES + h.length() > size) {
                        problem = "a record of " + h.length() + " bytes cut short by the end of the file";
                    } else {
                        payload = new byte[h.length()];
                        readFully(ch, ByteBuffer.wrap(payload), pos + JournalFormat.RECORD_HEADER_BYTES);
                        if (JournalFormat.crc(payload, 0, payload.length) != h.payloadCrc()) {
                            problem = "a record whose payload does not match its checksum";
                        }
                    }
                }
                if (problem != null) {
                    if (newest && !anyRecordAfter(ch, pos + 1, size)) {
                        LOG.log(System.Logger.Level.WARNING, "{0}: torn tail at offset {1} ({2}, {3} bytes); an"
                                + " unacknowledged write, cut off", file, pos, problem, size - pos);
                        ch.truncate(pos);
                        ch.force(true);
                        break;
                    }
                    throw new JournalCorruptException(file, pos, problem + (newest
                            ? ", followed by further records: the journal is damaged before its tail"
                            : " in a journal that was complete when the next one began"));
                }
                if (h.seq() != seq) {
                    throw new JournalCorruptException(file, pos, "record number " + h.seq() + " where " + seq
                            + " was expected");
                }
                StateEvent event;
                try {
                    event = EventCodec.decode(payload);
                } catch (IllegalArgumentException e) {
                    throw new JournalCorruptException(file, pos, "record " + seq + " is not a valid event: "
                            + e.getMessage());
                }
                sink.accept(seq, event);
                pos += JournalFormat.RECORD_HEADER_BYTES + h.length();
                seq++;
                count++;
            }
            return new Result(seq, pos, count);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + file, e);
        }
    }

    /**
     * Whether {@code file} is a journal whose creation a crash interrupted: shorter than its header,
     * or exactly a header's length with a header that does not verify (a power loss can leave the
     * file's length but not its bytes). The header is made durable before a journal takes its first
     * record, so such a file holds nothing that was acknowledged.
     */
    static boolean tornAtCreation(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < JournalFormat.FILE_HEADER_BYTES) {
                return true;
            }
            if (size > JournalFormat.FILE_HEADER_BYTES) {
                return false;
            }
            ByteBuffer b = ByteBuffer.allocate(JournalFormat.FILE_HEADER_BYTES);
            readFully(ch, b, 0);
            return b.getLong(0) != JournalFormat.FILE_MAGIC || JournalFormat.crc(b.array(), 0, 24) != b.getInt(24);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + file, e);
        }
    }

    private static void checkFileHeader(Path file, FileChannel ch, long size, long generation, long firstSeq)
            throws IOException {
        if (size < JournalFormat.FILE_HEADER_BYTES) {
            throw new JournalCorruptException(file, 0, "shorter (" + size + " bytes) than a journal header");
        }
        ByteBuffer b = ByteBuffer.allocate(JournalFormat.FILE_HEADER_BYTES);
        readFully(ch, b, 0);
        if (b.getLong(0) != JournalFormat.FILE_MAGIC
                || JournalFormat.crc(b.array(), 0, 24) != b.getInt(24)) {
            throw new JournalCorruptException(file, 0, "not a clcrec journal (bad magic or header checksum)");
        }
        if (b.getLong(8) != generation || b.getLong(16) != firstSeq) {
            throw new JournalCorruptException(file, 0, "journal of generation " + b.getLong(8) + " starting at record "
                    + b.getLong(16) + ", expected generation " + generation + " starting at record " + firstSeq);
        }
    }

    /** Whether a verifying record header starts anywhere in [from, size). */
    private static boolean anyRecordAfter(FileChannel ch, long from, long size) throws IOException {
        int overlap = JournalFormat.RECORD_HEADER_BYTES - 1;
        for (long start = from; start < size; start += SCAN_CHUNK) {
            int len = (int) Math.min(SCAN_CHUNK + (long) overlap, size - start);
            ByteBuffer chunk = ByteBuffer.allocate(len);
            readFully(ch, chunk, start);
            for (int i = 0; i + JournalFormat.RECORD_HEADER_BYTES <= len && i < SCAN_CHUNK; i++) {
                if (chunk.getInt(i) == JournalFormat.RECORD_MAGIC
                        && JournalFormat.header(chunk.slice(i, JournalFormat.RECORD_HEADER_BYTES)) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }
}
