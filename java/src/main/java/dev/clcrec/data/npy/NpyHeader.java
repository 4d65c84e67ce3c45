package dev.clcrec.data.npy;

import java.util.Arrays;

/** A parsed {@code .npy} header: element type, C-order shape and where the data starts. */
public record NpyHeader(NpyDtype dtype, long[] shape, long dataOffset) {

    public NpyHeader {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    /** Number of elements (1 for a 0-d array). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of numeric data after the header. */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), dtype.itemSize());
    }

    public String shapeString() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && dtype == h.dtype && dataOffset == h.dataOffset
                && Arrays.equals(shape, h.shape);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Long.hashCode(dataOffset);
    }

    @Override
    public String toString() {
        return "NpyHeader[" + dtype.descr() + ", shape " + shapeString() + ", data at " + dataOffset + "]";
    }
}
