package dev.clcrec.data.pickle;

import net.razorvine.pickle.PickleException;

import java.util.List;

/** A numpy ndarray rebuilt from its pickled state (shape, dtype, data list or raw bytes). */
public final class NdArray implements Buildable {
    private long[] shape;
    private NumpyDtype dtype;
    private Object data;

    @Override
    public void build(Object state) {
        if (!(state instanceof Object[] t) || t.length != 5) {
            throw new PickleException("ndarray state must be a 5-tuple (version, shape, dtype, fortran, data)");
        }
        if (!(t[1] instanceof Object[] dims) || !(t[2] instanceof NumpyDtype dt)) {
            throw new PickleException("ndarray state has no shape tuple or dtype");
        }
        if (Boolean.TRUE.equals(t[3])) {
            throw new PickleException("Fortran-order arrays are not supported");
        }
        shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = PickleValues.toLong(dims[i], "ndarray shape");
        }
        dtype = dt;
        data = t[4];
    }

    public long[] shape() {
        return shape == null ? null : shape.clone();
    }

    public NumpyDtype dtype() {
        return dtype;
    }

    /** Elements of an object array (a Python list), in C order. */
    public List<?> objects() {
        if (dtype == null || !dtype.isObject() || !(data instanceof List<?> list)) {
            throw new PickleException("expected an object array holding a list, got dtype "
                    + (dtype == null ? "none" : dtype.name()));
        }
        return list;
    }

    /** Raw bytes of a numeric array. */
    public byte[] bytes() {
        if (!(data instanceof byte[] b)) {
            throw new PickleException("expected a numeric array with a bytes payload");
        }
        return b;
    }

    /** What the array's state holds (a list, bytes, ...), for {@link PickleBounds}. */
    Object payload() {
        return data;
    }

    /** Elements by shape; a negative or overflowing shape fails. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new PickleException("ndarray shape has a negative dimension " + d);
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new PickleException("ndarray shape " + java.util.Arrays.toString(shape) + " overflows");
            }
        }
        return n;
    }
}
