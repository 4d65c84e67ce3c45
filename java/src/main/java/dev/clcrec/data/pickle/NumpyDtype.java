package dev.clcrec.data.pickle;

import net.razorvine.pickle.PickleException;

/** A pickled {@code numpy.dtype}: its name (e.g. {@code O8}, {@code i8}) and byte order from BUILD. */
public final class NumpyDtype implements Buildable {
    private final String name;
    private String byteOrder = "|";

    private NumpyDtype(String name) {
        this.name = name;
    }

    static Object construct(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof String s)) {
            throw new PickleException("numpy.dtype expects a type name");
        }
        return new NumpyDtype(s);
    }

    @Override
    public void build(Object state) {
        if (!(state instanceof Object[] t) || t.length < 2 || !(t[1] instanceof String order)) {
            throw new PickleException("numpy.dtype state must be a tuple (version, byteorder, ...)");
        }
        if (t.length > 2 && (t[2] != null || t.length > 3 && t[3] != null)) {
            throw new PickleException("structured numpy dtypes are not supported");
        }
        byteOrder = order;
    }

    public String name() {
        return name;
    }

    public boolean isObject() {
        return name.equals("O8") || name.equals("O4") || name.equals("O");
    }

    /** Bytes of one integer element, or 0 when the dtype is not a little-endian integer. */
    public int integerSize() {
        if (byteOrder.equals(">")) {
            return 0;
        }
        return switch (name) {
            case "i8", "int64" -> 8;
            case "i4", "int32" -> 4;
            default -> 0;
        };
    }
}
