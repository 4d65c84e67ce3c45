package dev.clcrec.data.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes {@code .npy} files (format 1.0, C order, 64-byte aligned data) as numpy does. */
public final class NpyWriter {
    private NpyWriter() {}

    /** The preamble and header for an array of {@code dtype} and {@code shape}. */
    public static byte[] header(NpyDtype dtype, long... shape) {
        StringBuilder s = new StringBuilder("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",), }" : "), }");
        int total = 10 + s.length() + 1;
        int padded = (total + 63) / 64 * 64;
        s.append(" ".repeat(padded - total)).append('\n');
        byte[] text = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeaderParser.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    public static void writeInts(Path file, int[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        write(file, header(NpyDtype.INT32, shape), b.array());
    }

    public static void writeLongs(Path file, long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        write(file, header(NpyDtype.INT64, shape), b.array());
    }

    public static void writeFloats(Path file, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        write(file, header(NpyDtype.FLOAT32, shape), b.array());
    }

    /** Writes a float32 matrix from native memory, streaming (no heap copy of the whole matrix). */
    public static void writeFloats(Path file, MemorySegment data, long rows, long cols) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = mapForWrite(file, NpyDtype.FLOAT32, arena, rows, cols);
            ValueLayout.OfFloat src = data.address() % 4 == 0 ? ValueLayout.JAVA_FLOAT : ValueLayout.JAVA_FLOAT_UNALIGNED;
            if (src == ValueLayout.JAVA_FLOAT) {
                MemorySegment.copy(data, 0, out, 0, rows * cols * 4);
            } else {
                for (long k = 0; k < rows * cols; k++) {
                    out.setAtIndex(ValueLayout.JAVA_FLOAT, k, data.getAtIndex(src, k));
                }
            }
            out.force();
        }
    }

    /** An object array: header with dtype {@code |O} followed by the given pickle. */
    public static void writeObjectArray(Path file, byte[] pickle, long... shape) {
        write(file, header(NpyDtype.OBJECT, shape), pickle);
    }

    /**
     * Creates {@code file} sized for the array and maps its data region read-write into
     * {@code arena}, for generators that fill large matrices in place.
     */
    public static MemorySegment mapForWrite(Path file, NpyDtype dtype, Arena arena, long... shape) {
        byte[] h = header(dtype, shape);
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        long bytes = n * dtype.itemSize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(h), 0);
            if (bytes == 0) {
                return MemorySegment.NULL.reinterpret(0);
            }
            ch.truncate(h.length + bytes);
            ch.write(ByteBuffer.wrap(new byte[1]), h.length + bytes - 1);
            return ch.map(FileChannel.MapMode.READ_WRITE, h.length, bytes, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path file, byte[] header, byte[] data) {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header);
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
