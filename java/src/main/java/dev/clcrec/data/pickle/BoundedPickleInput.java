package dev.clcrec.data.pickle;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The pickle stream with its position and its total length known, so that an opcode declaring a
 * 2 GB string can be checked against the bytes actually left before anything is allocated.
 */
final class BoundedPickleInput extends FilterInputStream {
    private final long length;
    private long position;
    private long marked;

    /** @param length bytes the stream holds, or -1 when unknown (then only the stream's end bounds reads) */
    BoundedPickleInput(InputStream in, long length) {
        super(in.markSupported() ? in : new BufferedInputStream(in, 1 << 16));
        this.length = length;
    }

    /** Bytes left in the stream (Long.MAX_VALUE when its length is unknown). */
    long remaining() {
        return length < 0 ? Long.MAX_VALUE : Math.max(0, length - position);
    }

    long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = super.skip(n);
        position += k;
        return k;
    }

    @Override
    public synchronized void mark(int readlimit) {
        super.mark(readlimit);
        marked = position;
    }

    @Override
    public synchronized void reset() throws IOException {
        super.reset();
        position = marked;
    }

    /** Reads a little-endian unsigned length of {@code bytes} bytes without consuming it (-1 at the end). */
    long peekLength(int bytes) throws IOException {
        mark(bytes);
        try {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                int b = read();
                if (b < 0) {
                    return -1;
                }
                v |= (long) b << (8 * i);
            }
            return v;
        } finally {
            reset();
        }
    }
}
