package dev.clcrec.data.pickle;

import java.util.List;
import java.util.Map;

/** Pickles numpy object arrays the way {@code np.save} does (protocol 3), for the reference layout. */
public final class NumpyPickleWriter {
    private NumpyPickleWriter() {}

    /** A 1-d object array of int lists. */
    public static byte[] intLists(List<long[]> rows) {
        PickleWriter w = header(rows.size());
        w.op(']');
        for (int i = 0; i < rows.size(); i += 1000) {
            w.mark();
            for (int k = i; k < Math.min(rows.size(), i + 1000); k++) {
                w.intList(rows.get(k));
            }
            w.op('e');
        }
        return w.tuple().build().stop();
    }

    /** A 0-d object array holding {@code {key: set(values)}}. */
    public static byte[] dictOfSets(Map<Long, long[]> dict) {
        PickleWriter w = header(-1);
        w.op(']').op('}');
        w.mark();
        dict.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            w.integer(e.getKey()).global("builtins", "set").intList(e.getValue()).op(0x85).reduce();
        });
        w.op('u').op('a');
        return w.tuple().build().stop();
    }

    /** Everything up to the data list: _reconstruct(ndarray, (0,), b'b') and BUILD state head. */
    private static PickleWriter header(long length) {
        PickleWriter w = new PickleWriter().proto(3)
                .global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray")
                .integer(0).op(0x85).bytes(new byte[] {'b'}).op(0x87).reduce();
        w.mark().integer(1);
        if (length >= 0) {
            w.integer(length).op(0x85);
        } else {
            w.op(')');
        }
        w.global("numpy", "dtype").string("O8").bool(false).bool(true).op(0x87).reduce()
                .mark().integer(3).string("|").none().none().none().integer(-1).integer(-1).integer(63).tuple().build()
                .bool(false);
        return w;
    }
}
