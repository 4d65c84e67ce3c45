package dev.clcrec.data.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Emits the pickle opcodes our writers need (protocol 2/3 subset). */
public final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleWriter proto(int version) {
        out.write(0x80);
        out.write(version);
        return this;
    }

    public PickleWriter global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public PickleWriter integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');
            out.write((int) v & 0xff);
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            le(v, 4);
        } else {
            out.write(0x8a);
            out.write(8);
            le(v, 8);
        }
        return this;
    }

    private void le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    public PickleWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    public PickleWriter bytes(byte[] b) {
        out.write('C');
        out.write(b.length);
        out.writeBytes(b);
        return this;
    }

    /** Writes a list of ints (EMPTY_LIST, then APPENDS in batches of 1000). */
    public PickleWriter intList(long[] values) {
        out.write(']');
        for (int i = 0; i < values.length; i += 1000) {
            mark();
            for (int k = i; k < Math.min(values.length, i + 1000); k++) {
                integer(values[k]);
            }
            out.write('e');
        }
        return this;
    }

    public PickleWriter op(char opcode) {
        out.write(opcode);
        return this;
    }

    public PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleWriter mark() {
        return op('(');
    }

    public PickleWriter tuple() {
        return op('t');
    }

    public PickleWriter reduce() {
        return op('R');
    }

    public PickleWriter build() {
        return op('b');
    }

    public PickleWriter none() {
        return op('N');
    }

    public PickleWriter bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    public byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }
}
