package dev.clcrec.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader for the fixtures' .npy files (versions 1-3, little-endian float32 or int64, C order).
 * Test-only: the fixtures are the one format it needs to understand.
 */
record Npy(long[] shape, float[] floats, long[] longs) {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    static Npy read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93
                || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalStateException(file + " is not a .npy file");
        }
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            start = 10;
        } else {
            headerLen = buf.getInt(8);
            start = 12;
        }
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file);
        if (group(FORTRAN, header, file).equals("True")) {
            throw new IllegalStateException(file + ": Fortran order not supported");
        }
        long[] shape = Arrays.stream(group(SHAPE, header, file).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        buf.position(start + headerLen);
        ByteBuffer data = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (descr) {
            case "<f4" -> {
                float[] out = new float[Math.toIntExact(count)];
                data.asFloatBuffer().get(out);
                return new Npy(shape, out, null);
            }
            case "<i8" -> {
                long[] out = new long[Math.toIntExact(count)];
                data.asLongBuffer().get(out);
                return new Npy(shape, null, out);
            }
            default -> throw new IllegalStateException(file + ": unsupported dtype " + descr);
        }
    }

    private static String group(Pattern p, String header, Path file) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalStateException(file + ": header lacks " + p.pattern() + ": " + header);
        }
        return m.group(1);
    }

    long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    long cols() {
        return shape.length < 2 ? 1 : shape[1];
    }
}
