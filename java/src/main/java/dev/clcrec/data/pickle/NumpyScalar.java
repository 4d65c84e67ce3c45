package dev.clcrec.data.pickle;

import net.razorvine.pickle.PickleException;

/** {@code numpy.core.multiarray.scalar(dtype, bytes)} for integer dtypes, built as a {@code Long}. */
final class NumpyScalar {
    private NumpyScalar() {}

    static Object construct(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof NumpyDtype dt) || !(args[1] instanceof byte[] b)) {
            throw new PickleException("numpy scalar expects (dtype, bytes)");
        }
        int size = dt.integerSize();
        if (size == 0 || b.length != size) {
            throw new PickleException("numpy scalar of dtype " + dt.name() + " is not supported, expected int64 or int32");
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        if (size == 4) {
            v = (int) v;
        }
        return v;
    }
}
