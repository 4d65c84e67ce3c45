package dev.clcrec.data.pickle;

import net.razorvine.pickle.PickleException;

/**
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}: where a tensor's
 * values lie in its storage. Offset and strides are in elements.
 */
public record TorchTensorRef(TorchStorageRef storage, long offset, long[] size, long[] stride) {

    static Object construct(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof TorchStorageRef st)
                || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride)) {
            throw new PickleException("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...)");
        }
        if (size.length != stride.length) {
            throw new PickleException("tensor size and stride have different lengths");
        }
        long[] sz = new long[size.length];
        long[] sd = new long[size.length];
        for (int i = 0; i < sz.length; i++) {
            sz[i] = PickleValues.toLong(size[i], "tensor size");
            sd[i] = PickleValues.toLong(stride[i], "tensor stride");
        }
        return new TorchTensorRef(st, PickleValues.toLong(args[1], "tensor storage offset"), sz, sd);
    }
}
