package dev.clcrec.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded, structure-aware byte mutator: besides bit flips and truncation it overwrites 1/2/4/8
 * byte little- and big-endian words with the boundary values that length and count fields get
 * wrong (0, -1, 2^31-1, 2^32, 2^62+1, ...), duplicates and deletes ranges, splices in bytes of the
 * input itself, and rewrites ASCII digits. Every input is a pure function of (seed, index).
 */
final class Mutator {
    private static final long[] BOUNDARIES = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, Integer.MAX_VALUE,
            0x80000000L, 0xffffffffL, 1L << 32, (1L << 62) + 1, Long.MAX_VALUE, Long.MIN_VALUE};

    private Mutator() {}

    static byte[] mutate(byte[] seed, long runSeed, long index) {
        SplittableRandom r = new SplittableRandom(runSeed * 0x9E3779B97F4A7C15L + index);
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds && b.length > 0; i++) {
            b = switch (r.nextInt(8)) {
                case 0 -> flipBit(b, r);
                case 1 -> word(b, r);
                case 2 -> Arrays.copyOf(b, r.nextInt(b.length)); // truncate
                case 3 -> duplicate(b, r);
                case 4 -> delete(b, r);
                case 5 -> splice(b, r);
                case 6 -> digits(b, r);
                default -> randomByte(b, r);
            };
        }
        return b;
    }

    private static byte[] flipBit(byte[] b, SplittableRandom r) {
        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        return b;
    }

    private static byte[] randomByte(byte[] b, SplittableRandom r) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        return b;
    }

    private static byte[] word(byte[] b, SplittableRandom r) {
        int width = 1 << r.nextInt(4);
        if (b.length < width) {
            return b;
        }
        int at = r.nextInt(b.length - width + 1);
        long v = BOUNDARIES[r.nextInt(BOUNDARIES.length)];
        boolean little = r.nextBoolean();
        for (int k = 0; k < width; k++) {
            int shift = 8 * (little ? k : width - 1 - k);
            b[at + k] = (byte) (v >>> shift);
        }
        return b;
    }

    private static byte[] duplicate(byte[] b, SplittableRandom r) {
        int from = r.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + r.nextInt(64));
        int at = r.nextInt(b.length + 1);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, from, out, at, len);
        System.arraycopy(b, at, out, at + len, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, SplittableRandom r) {
        int at = r.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + r.nextInt(64));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        return out;
    }

    private static byte[] splice(byte[] b, SplittableRandom r) {
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = Math.min(Math.min(b.length - from, b.length - to), 1 + r.nextInt(32));
        System.arraycopy(b.clone(), from, b, to, len);
        return b;
    }

    /** Rewrites a run of ASCII digits (a count in a header or JSON) into a boundary number. */
    private static byte[] digits(byte[] b, SplittableRandom r) {
        int start = r.nextInt(b.length);
        int i = start;
        while (i < b.length && (b[i] < '0' || b[i] > '9')) {
            i++;
        }
        if (i == b.length) {
            return b;
        }
        int end = i;
        while (end < b.length && b[end] >= '0' && b[end] <= '9') {
            end++;
        }
        String[] options = {"0", "-1", "2147483648", "4294967296", "18446744073709551617", "1.5", "1e30", "NaN", "\"7\""};
        byte[] rep = options[r.nextInt(options.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length - (end - i) + rep.length];
        System.arraycopy(b, 0, out, 0, i);
        System.arraycopy(rep, 0, out, i, rep.length);
        System.arraycopy(b, end, out, i + rep.length, b.length - end);
        return out;
    }
}
