package dev.clcrec.state;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The byte layout of journal files and of their records (FORMAT.md): a 28-byte file header naming
 * the generation and the first sequence number, then records, each a 24-byte header (magic, payload
 * length, sequence number, a CRC-32C of those 16 bytes, a CRC-32C of the payload) and the payload.
 * The header's own checksum is what tells a damaged length from a torn tail: a record is trusted to
 * be where its length says only when its header verifies.
 */
final class JournalFormat {
    static final long FILE_MAGIC = 0x434C43524A524E31L; // "CLCRJRN1"
    static final int FILE_HEADER_BYTES = 28;
    static final int RECORD_MAGIC = 0x434C5231;           // "CLR1"
    static final int RECORD_HEADER_BYTES = 24;
    /** No event comes near this; a larger length in a verified header is damage, not data. */
    static final int MAX_PAYLOAD_BYTES = 256 << 20;

    private JournalFormat() {}

    static ByteBuffer fileHeader(long generation, long firstSeq) {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_BYTES);
        b.putLong(FILE_MAGIC).putLong(generation).putLong(firstSeq);
        b.putInt(crc(b.array(), 0, 24));
        return b.flip();
    }

    static ByteBuffer record(long seq, byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a journal record holds at most " + MAX_PAYLOAD_BYTES + " bytes, this one "
                    + payload.length + "; send fewer items at once");
        }
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
        b.putInt(RECORD_MAGIC).putInt(payload.length).putLong(seq);
        b.putInt(crc(b.array(), 0, 16));
        b.putInt(crc(payload, 0, payload.length));
        b.put(payload);
        return b.flip();
    }

    /** A record header that verified: where the payload is and what it should hash to. */
    record Header(int length, long seq, int payloadCrc) {}

    /** The header at the buffer's start (24 bytes), or null when it does not verify. */
    static Header header(ByteBuffer b) {
        if (b.getInt(0) != RECORD_MAGIC) {
            return null;
        }
        byte[] first = new byte[16];
        b.get(0, first);
        if (crc(first, 0, 16) != b.getInt(16)) {
            return null;
        }
        int length = b.getInt(4);
        if (length < 0 || length > MAX_PAYLOAD_BYTES) {
            return null;
        }
        return new Header(length, b.getLong(8), b.getInt(20));
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
