package dev.clcrec.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fixtures' little-endian float32/int64 .npy files (test helper; the product reads through the data layer). */
final class TestNpy {
    private TestNpy() {}

    record Array(long[] shape, float[] floats, long[] longs) {}

    static Array read(Path path) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int major = buf.get(6);
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(buf.array(), major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IOException(path + ": unsupported npy header " + header);
        }
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long x : shape) {
            count *= x;
        }
        buf.position(dataStart);
        switch (d.group(1)) {
            case "<f4" -> {
                float[] f = new float[(int) count];
                buf.asFloatBuffer().get(f);
                return new Array(shape, f, null);
            }
            case "<i8" -> {
                long[] l = new long[(int) count];
                buf.asLongBuffer().get(l);
                return new Array(shape, null, l);
            }
            default -> throw new IOException(path + ": unsupported dtype " + d.group(1));
        }
    }
}
