package dev.clcrec.data.pickle;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.npy.NpyHeader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the reference's pickled {@code .npy} object arrays: lists of ints and dicts of int sets. */
public final class NumpyPickles {
    private NumpyPickles() {}

    /** The decoded ndarray of an object-array {@code .npy} file, with its header shape checked against the pickle's. */
    public static NdArray readObjectArray(Path file) {
        try (NpyFile.ObjectArrayStream s = NpyFile.openObjectArray(file)) {
            Object o = RestrictedUnpickler.load(file.toString(), new BufferedInputStream(s.pickle(), 1 << 16),
                    s.pickleBytes(), PickleWhitelist.numpy(), null);
            if (!(o instanceof NdArray a) || a.shape() == null) {
                throw new DatasetFormatException(file + ": pickle holds "
                        + (o == null ? "None" : o.getClass().getSimpleName()) + ", expected a numpy array");
            }
            NpyHeader h = s.header();
            if (!java.util.Arrays.equals(a.shape(), h.shape())) {
                throw new DatasetFormatException(file + ": pickled array has shape "
                        + java.util.Arrays.toString(a.shape()) + " but the header says " + h.shapeString());
            }
            return a;
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A 1-d object array of Python lists of ints, e.g. {@code val_full.npy}. */
    public static List<long[]> readIntLists(Path file) {
        NdArray a = readObjectArray(file);
        if (a.shape().length != 1) {
            throw new DatasetFormatException(file + ": object array of shape " + java.util.Arrays.toString(a.shape())
                    + ", expected one dimension (one list per user)");
        }
        List<?> objects = objects(file, a);
        List<long[]> out = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            if (!(objects.get(i) instanceof Collection<?> c)) {
                throw new DatasetFormatException(file + ": row " + i + " is "
                        + describe(objects.get(i)) + ", expected a list of ints");
            }
            out.add(toLongs(file, "row " + i, c));
        }
        return out;
    }

    /** A 0-d object array holding a dict {@code {int: set(int)}}, e.g. {@code user_item_train_dict.npy}. */
    public static Map<Long, long[]> readDictOfSets(Path file) {
        NdArray a = readObjectArray(file);
        List<?> objects = objects(file, a);
        if (a.shape().length != 0 || objects.size() != 1 || !(objects.getFirst() instanceof Map<?, ?> dict)) {
            throw new DatasetFormatException(file + ": expected a 0-d object array holding a dict");
        }
        Map<Long, long[]> out = new HashMap<>(dict.size() * 2);
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            long key = toLong(file, "dict key", e.getKey());
            if (!(e.getValue() instanceof Collection<?> c)) {
                throw new DatasetFormatException(file + ": value of key " + key + " is "
                        + describe(e.getValue()) + ", expected a set of ints");
            }
            out.put(key, toLongs(file, "key " + key, c));
        }
        return out;
    }

    private static List<?> objects(Path file, NdArray a) {
        try {
            return a.objects();
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static long[] toLongs(Path file, String where, Collection<?> c) {
        long[] v = new long[c.size()];
        int i = 0;
        for (Object o : c) {
            v[i] = toLong(file, where + ", element " + i, o);
            i++;
        }
        return v;
    }

    private static long toLong(Path file, String where, Object o) {
        try {
            return PickleValues.toLong(o, where);
        } catch (RuntimeException e) {
            throw new DatasetFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
