package dev.clcrec.data.npy;

import dev.clcrec.data.DatasetFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads {@code .npy} files: headers, memory-mapped numeric data, and the pickle stream of object arrays. */
public final class NpyFile {
    private NpyFile() {}

    /** Reads and checks the header (including that the file holds all the data it announces). */
    public static NpyHeader readHeader(Path file) {
        try (FileChannel ch = open(file)) {
            return readHeader(file, ch);
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Maps the numeric data of {@code file} into {@code arena} without copying. The segment is a
     * read-only mapping: consumers must not write to it. Fails for object arrays.
     */
    public static NpyArray map(Path file, Arena arena) {
        try (FileChannel ch = open(file)) {
            NpyHeader h = readHeader(file, ch);
            if (h.dtype() == NpyDtype.OBJECT) {
                throw new DatasetFormatException(file + ": dtype |O (pickled Python objects), expected a numeric array");
            }
            MemorySegment data = h.dataBytes() == 0 ? MemorySegment.NULL.reinterpret(0)
                    : ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), h.dataBytes(), arena);
            return new NpyArray(file, h, data);
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot map: " + e.getMessage(), e);
        }
    }

    /** Reads a small integer array (int32 or int64) of the given shape (-1 = any) into a heap {@code long[]}. */
    public static long[] readLongs(Path file, long... shape) {
        try (Arena arena = Arena.ofConfined()) {
            return map(file, arena).requireInteger().requireShape(shape).toLongArray();
        }
    }

    /** Opens the pickle stream following the header of an object array ({@code |O}). */
    public static ObjectArrayStream openObjectArray(Path file) {
        FileChannel ch = open(file);
        try {
            NpyHeader h = readHeader(file, ch);
            if (h.dtype() != NpyDtype.OBJECT) {
                throw new DatasetFormatException(file + ": dtype " + h.dtype().descr()
                        + ", expected an object array (|O) holding a pickle");
            }
            ch.position(h.dataOffset());
            return new ObjectArrayStream(h, Channels.newInputStream(ch), ch.size() - h.dataOffset());
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof DatasetFormatException d) {
                throw d;
            }
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The header of an object array and the pickle bytes after it; close it after use. */
    public record ObjectArrayStream(NpyHeader header, InputStream pickle, long pickleBytes) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            pickle.close();
        }
    }

    private static FileChannel open(Path file) {
        dev.clcrec.data.InputFiles.requireRegular(file);
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static NpyHeader readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer first = ByteBuffer.allocate(NpyHeaderParser.PREAMBLE);
        readFully(ch, first, 0);
        long[] pre = NpyHeaderParser.preamble(file.toString(), first, size);
        long headerLen = pre[0];
        long start = pre[1];
        if (start + headerLen > size || headerLen > 1 << 20) {
            throw new DatasetFormatException(file + ": truncated .npy header: announces " + headerLen
                    + " header bytes, file has " + size + " bytes");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, start);
        NpyHeader h = NpyHeaderParser.parse(file.toString(), hb.array(), first.get(6) & 0xff, start + headerLen);
        if (h.dtype() != NpyDtype.OBJECT) {
            long expected = h.dataOffset() + h.dataBytes();
            if (size < expected) {
                throw new DatasetFormatException(file + ": truncated: shape " + h.shapeString() + " of "
                        + h.dtype().descr() + " needs " + h.dataBytes() + " data bytes, file has only "
                        + (size - h.dataOffset()));
            }
            if (size > expected) {
                throw new DatasetFormatException(file + ": " + (size - expected)
                        + " unexpected bytes after the data of shape " + h.shapeString());
            }
        } else if (size <= h.dataOffset()) {
            throw new DatasetFormatException(file + ": truncated: object array without pickle data");
        }
        return h;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
        buf.flip();
        buf.limit(buf.capacity());
    }
}
