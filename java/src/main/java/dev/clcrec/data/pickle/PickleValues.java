package dev.clcrec.data.pickle;

import net.razorvine.pickle.PickleException;

import java.math.BigInteger;

/** Conversions from Pyrolite's decoded values. */
public final class PickleValues {
    private PickleValues() {}

    /** A Python int (Integer, Long or BigInteger in Pyrolite) as a long. */
    public static long toLong(Object o, String what) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw new PickleException(what + ": integer " + b + " does not fit in 64 bits");
            }
            return b.longValue();
        }
        throw new PickleException(what + ": expected an integer, got "
                + (o == null ? "None" : o.getClass().getSimpleName() + " " + o));
    }
}
