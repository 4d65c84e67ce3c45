package dev.clcrec.data.npy;

import dev.clcrec.data.DatasetFormatException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** A numeric {@code .npy} array whose data lies in native memory (usually a file mapping). */
public record NpyArray(Path file, NpyHeader header, MemorySegment data) {

    /** Element {@code i} of an integer array (int32, int64 or bool) as a long. */
    public long getLong(long i) {
        return switch (header.dtype()) {
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, i);
            default -> throw new DatasetFormatException(file + ": dtype " + header.dtype().descr()
                    + " is not an integer type");
        };
    }

    /** All elements of an integer array as a heap {@code long[]} (for id tables). */
    public long[] toLongArray() {
        long n = header.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new DatasetFormatException(file + ": " + n + " elements are too many for an id table");
        }
        requireInteger();
        long[] out = new long[(int) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** Throws unless the dtype is int32 or int64. */
    public NpyArray requireInteger() {
        if (header.dtype() != NpyDtype.INT64 && header.dtype() != NpyDtype.INT32) {
            throw new DatasetFormatException(file + ": dtype " + header.dtype().descr()
                    + ", expected an integer array (<i8 or <i4)");
        }
        return this;
    }

    /** Throws unless the array has {@code ndim} dimensions; -1 entries in {@code dims} match anything. */
    public NpyArray requireShape(long... dims) {
        long[] shape = header.shape();
        boolean ok = shape.length == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] < 0 || dims[i] == shape[i];
        }
        if (!ok) {
            StringBuilder want = new StringBuilder("(");
            for (int i = 0; i < dims.length; i++) {
                want.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "*" : Long.toString(dims[i]));
            }
            want.append(dims.length == 1 ? ",)" : ")");
            throw new DatasetFormatException(file + ": shape " + header.shapeString() + ", expected " + want);
        }
        return this;
    }
}
