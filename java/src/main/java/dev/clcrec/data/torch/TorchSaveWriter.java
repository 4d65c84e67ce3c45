package dev.clcrec.data.torch;

import dev.clcrec.data.pickle.PickleWriter;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes a float32 matrix as {@code torch.save} does: a zip of STORED entries, storage 64-byte aligned. */
public final class TorchSaveWriter {
    private TorchSaveWriter() {}

    public static void writeMatrix(Path file, MemorySegment data, long rows, long cols) {
        String stem = file.getFileName().toString().replaceFirst("\\.pt$", "");
        byte[] pkl = new PickleWriter().proto(2)
                .global("torch._utils", "_rebuild_tensor_v2")
                .mark()
                .mark().string("storage").global("torch", "FloatStorage").string("0").string("cpu")
                .integer(rows * cols).tuple().op('Q')
                .integer(0).integer(rows).integer(cols).op(0x86).integer(cols).integer(1).op(0x86)
                .bool(false).global("collections", "OrderedDict").op(')').reduce()
                .tuple().reduce().stop();
        long bytes = rows * cols * Float.BYTES;
        try (Counting counter = new Counting(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
             ZipOutputStream zip = new ZipOutputStream(counter)) {
            stored(zip, counter, stem + "/data.pkl", pkl.length, crc(pkl), 0);
            zip.write(pkl);
            zip.closeEntry();
            CRC32 crc = new CRC32();
            byte[] chunk = new byte[1 << 20];
            for (long p = 0; p < bytes; p += chunk.length) {
                int n = (int) Math.min(chunk.length, bytes - p);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, p, chunk, 0, n);
                crc.update(chunk, 0, n);
            }
            stored(zip, counter, stem + "/data/0", bytes, crc.getValue(), 64);
            for (long p = 0; p < bytes; p += chunk.length) {
                int n = (int) Math.min(chunk.length, bytes - p);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, p, chunk, 0, n);
                zip.write(chunk, 0, n);
            }
            zip.closeEntry();
            byte[] version = "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            stored(zip, counter, stem + "/version", version.length, crc(version), 0);
            zip.write(version);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void stored(ZipOutputStream zip, Counting counter, String name, long size, long crc, int align)
            throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc);
        if (align > 0) {
            long start = counter.count + 30 + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 4;
            int pad = (int) ((align - start % align) % align);
            byte[] extra = new byte[4 + pad];
            extra[0] = 0x63;
            extra[1] = 0x6c; // private extra field id, padding only
            extra[2] = (byte) pad;
            extra[3] = (byte) (pad >>> 8);
            e.setExtra(extra);
        }
        zip.putNextEntry(e);
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
