package dev.clcrec.data.pickle;

import net.razorvine.pickle.IObjectConstructor;

import java.util.Map;

/** The globals a pickle may name, each bound to the constructor that builds it. Immutable. */
public record PickleWhitelist(Map<String, IObjectConstructor> constructors) {
    public PickleWhitelist {
        constructors = Map.copyOf(constructors);
    }

    /** numpy object arrays and dicts of sets, as {@code np.save} writes them (numpy 1.x and 2.x names). */
    public static PickleWhitelist numpy() {
        IObjectConstructor reconstruct = args -> new NdArray();
        IObjectConstructor set = PickleWhitelist::newSet;
        return new PickleWhitelist(Map.of(
                "numpy.core.multiarray._reconstruct", reconstruct,
                "numpy._core.multiarray._reconstruct", reconstruct,
                "numpy.ndarray", new TypeMarker("numpy.ndarray"),
                "numpy.dtype", NumpyDtype::construct,
                "numpy.core.multiarray.scalar", NumpyScalar::construct,
                "numpy._core.multiarray.scalar", NumpyScalar::construct,
                "builtins.set", set,
                "__builtin__.set", set));
    }

    /** A tensor written by {@code torch.save}. */
    public static PickleWhitelist torch() {
        return new PickleWhitelist(Map.of(
                "torch._utils._rebuild_tensor_v2", TorchTensorRef::construct,
                "torch.FloatStorage", new TypeMarker("torch.FloatStorage"),
                "collections.OrderedDict", args -> new java.util.LinkedHashMap<>()));
    }

    private static Object newSet(Object[] args) {
        java.util.Set<Object> s = new java.util.HashSet<>();
        if (args.length == 1 && args[0] instanceof java.util.Collection<?> c) {
            s.addAll(c);
        } else if (args.length != 0) {
            throw new net.razorvine.pickle.PickleException("set() expects one list argument");
        }
        return s;
    }

    /** A whitelisted type used as a value (never called to construct). */
    public record TypeMarker(String name) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new net.razorvine.pickle.PickleException("calling " + name + " is not supported");
        }
    }
}
