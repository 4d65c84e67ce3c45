package dev.clcrec.data.npy;

import dev.clcrec.data.DatasetFormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the {@code .npy} preamble: magic, version, header length and the Python dict literal
 * {@code {'descr': ..., 'fortran_order': ..., 'shape': (...), }}.
 */
final class NpyHeaderParser {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final String file;
    private final String text;
    private int pos;

    private NpyHeaderParser(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /** Bytes needed to know the header length. */
    static final int PREAMBLE = 12;

    /** Header length in bytes after the preamble, and preamble size, from the first 12 bytes. */
    static long[] preamble(String file, ByteBuffer first, long fileSize) {
        if (fileSize < 10) {
            throw new DatasetFormatException(file + ": truncated .npy file (" + fileSize
                    + " bytes), expected at least the 10-byte preamble");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (first.get(i) != MAGIC[i]) {
                throw new DatasetFormatException(file + ": not a .npy file (magic bytes \\x93NUMPY missing)");
            }
        }
        int major = first.get(6) & 0xff;
        first.order(ByteOrder.LITTLE_ENDIAN);
        return switch (major) {
            case 1 -> new long[] {first.getShort(8) & 0xffff, 10};
            case 2, 3 -> {
                if (fileSize < 12) {
                    throw new DatasetFormatException(file + ": truncated .npy file (" + fileSize + " bytes)");
                }
                yield new long[] {first.getInt(8) & 0xffffffffL, 12};
            }
            default -> throw new DatasetFormatException(file + ": unsupported .npy format version " + major
                    + ", expected 1, 2 or 3");
        };
    }

    static NpyHeader parse(String file, byte[] headerBytes, int major, long dataOffset) {
        String text = new String(headerBytes, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return new NpyHeaderParser(file, text).parseDict(dataOffset);
    }

    private NpyHeader parseDict(long dataOffset) {
        String descr = null;
        Boolean fortran = null;
        long[] shape = null;
        skipSpace();
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                break;
            }
            String key = readString();
            skipSpace();
            expect(':');
            skipSpace();
            switch (key) {
                case "descr" -> descr = readString();
                case "fortran_order" -> fortran = readBool();
                case "shape" -> shape = readShape();
                default -> throw error("unexpected key '" + key + "'");
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
            }
        }
        if (descr == null || fortran == null || shape == null) {
            throw error("missing one of 'descr', 'fortran_order', 'shape'");
        }
        if (fortran) {
            throw new DatasetFormatException(file + ": fortran_order True is not supported, expected a C-order array");
        }
        NpyDtype dtype = NpyDtype.fromDescr(descr);
        if (dtype == null) {
            throw new DatasetFormatException(file + ": unsupported dtype '" + descr
                    + "', expected one of <f4, <f8, <i8, <i4, |b1, |O (little-endian)");
        }
        NpyHeader h = new NpyHeader(dtype, shape, dataOffset);
        if (dtype != NpyDtype.OBJECT) {
            try {
                h.dataBytes();
            } catch (ArithmeticException overflow) {
                throw error("shape " + h.shapeString() + " of " + dtype.descr()
                        + " has more bytes than any file can hold (2^63)");
            }
        }
        return h;
    }

    private long[] readShape() {
        expect('(');
        List<Long> dims = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek() == ')') {
                pos++;
                break;
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (start == pos) {
                throw error("expected a non-negative integer in the shape");
            }
            // numpy may write Python 2 longs as 12L
            long d;
            try {
                d = Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException tooLarge) {
                throw error("shape dimension " + text.substring(start, Math.min(pos, start + 40))
                        + " does not fit in 64 bits");
            }
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++;
            }
            dims.add(d);
            skipSpace();
            if (peek() == ',') {
                pos++;
            }
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }

    private boolean readBool() {
        if (text.startsWith("True", pos)) {
            pos += 4;
            return true;
        }
        if (text.startsWith("False", pos)) {
            pos += 5;
            return false;
        }
        throw error("expected True or False");
    }

    private String readString() {
        char q = peek();
        if (q != '\'' && q != '"') {
            throw error("expected a quoted string");
        }
        int end = text.indexOf(q, pos + 1);
        if (end < 0) {
            throw error("unterminated string");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("header ends early");
        }
        return text.charAt(pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private DatasetFormatException error(String what) {
        return new DatasetFormatException(file + ": malformed .npy header at character " + pos + ": " + what
                + " (header: " + abbreviated(text.strip()) + ")");
    }

    private static String abbreviated(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " characters)";
    }
}
