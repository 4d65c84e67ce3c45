package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads libclcrec.so once and refuses a library the bindings were not generated for.
 *
 * <p>The generated bindings resolve symbols through the loader lookup, so the library must be
 * {@code System.load}ed by this class loader before any binding is touched; every engine entry point
 * calls {@link #ensureLoaded()} first. Where the library comes from: the system property
 * {@code clcrec.library}, else the environment variable {@code CLCREC_LIBRARY}, else the copy the jar
 * carries for this platform (extracted once into a per-user cache, see {@link NativeLibraryCache}),
 * else {@code build/native/libclcrec.so} relative to the working directory (a source checkout).
 */
public final class NativeLibrary {
    public static final String PROPERTY = "clcrec.library";
    public static final String ENVIRONMENT = "CLCREC_LIBRARY";
    static final Path DEFAULT_PATH = Path.of("build", "native", "libclcrec.so");

    // Either null (not tried yet), a loaded path, or the failure to repeat on every later call:
    // a half-loaded library must never be used, and the user should see the same clear message.
    private static Path loaded;
    private static IllegalStateException failure;

    private NativeLibrary() {}

    /** Loads and checks the library; idempotent and thread-safe. Throws IllegalStateException with advice. */
    public static synchronized void ensureLoaded() {
        if (loaded != null) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            loaded = load();
        } catch (IllegalStateException e) {
            failure = e;
            throw e;
        }
    }

    /** Path of the loaded library (loading it if needed). */
    public static synchronized Path path() {
        ensureLoaded();
        return loaded;
    }

    /** LibTorch version the library was built against, e.g. "1.13.0". */
    public static String torchVersion() {
        ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            Status.check(clcrec_h.clcrec_torch_version(buf, buf.byteSize()), "clcrec_torch_version");
            return buf.getString(0);
        }
    }

    /** Number of CUDA devices LibTorch can use (0 on a CPU-only build or machine). */
    public static int cudaDeviceCount() {
        ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(clcrec_h.C_INT);
            Status.check(clcrec_h.clcrec_cuda_device_count(out), "clcrec_cuda_device_count");
            return out.get(clcrec_h.C_INT, 0);
        }
    }

    private static Path load() {
        Path path;
        try {
            path = configuredPath();
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage() + ": " + e.getCause().getMessage()
                    + " (set -D" + PROPERTY + "=... or $" + ENVIRONMENT + " to a libclcrec.so to skip extraction)", e);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("native library not found: " + path.toAbsolutePath()
                    + " (this jar carries no " + NativeLibraryCache.resource() + "; build it with `mvn package` or point -D" + PROPERTY + "=... or $" + ENVIRONMENT
                    + " at libclcrec.so)");
        }
        try {
            System.load(path.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            throw loadFailure(path, e);
        } catch (IllegalCallerException e) {
            throw new IllegalStateException("native access is disabled; run java with "
                    + "--enable-native-access=ALL-UNNAMED (or the module's name)", e);
        }
        checkSymbols(path);
        int expected = clcrec_h.CLCREC_ABI_VERSION();
        int actual = clcrec_h.clcrec_abi_version();
        if (actual != expected) {
            throw new IllegalStateException("native library " + path.toAbsolutePath() + " has ABI version "
                    + actual + " but these Java bindings expect " + expected
                    + "; rebuild the library and the bindings from the same clcrec.h");
        }
        return path;
    }

    /** The error for a library the dynamic loader refused: LibTorch missing gets its own advice. */
    static IllegalStateException loadFailure(Path path, UnsatisfiedLinkError e) {
        String m = String.valueOf(e.getMessage());
        // The dynamic loader names the dependency it could not find; LibTorch is the one users lack.
        if (m.contains("libtorch") || m.contains("libc10")) {
            return new IllegalStateException("LibTorch is missing: the clcrec engine (" + path.toAbsolutePath()
                    + ") needs LibTorch's shared libraries. Install them (Debian/Ubuntu: apt-get install "
                    + "libtorch-dev; or unpack a LibTorch 1.13+/2.x and add its lib/ folder to LD_LIBRARY_PATH)."
                    + " Loader said: " + m, e);
        }
        return new IllegalStateException("cannot load native library " + path.toAbsolutePath() + ": "
                + m + " (is LibTorch installed where the library was built against it?)", e);
    }

    /**
     * Every function the bindings declare must be exported. Checked up front because the generated
     * code looks each symbol up lazily and would otherwise fail with an ExceptionInInitializerError
     * in the middle of some later call (e.g. a symbol accidentally left hidden).
     */
    private static void checkSymbols(Path path) {
        SymbolLookup lookup = SymbolLookup.loaderLookup();
        List<String> missing = new ArrayList<>();
        for (String name : boundFunctions()) {
            if (lookup.find(name).isEmpty()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("native library " + path.toAbsolutePath()
                    + " does not export " + missing + " declared in clcrec.h (stale build, or a symbol"
                    + " without CLCREC_API); rebuild it from the current header");
        }
    }

    /** Names of the C functions the generated bindings call (jextract emits NAME$address per function). */
    static List<String> boundFunctions() {
        List<String> names = new ArrayList<>();
        for (Method m : clcrec_h.class.getMethods()) {
            String n = m.getName();
            if (Modifier.isStatic(m.getModifiers()) && n.endsWith("$address") && m.getParameterCount() == 0) {
                names.add(n.substring(0, n.length() - "$address".length()));
            }
        }
        names.sort(null);
        return names;
    }

    private static Path configuredPath() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv(ENVIRONMENT);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        var bundled = NativeLibraryCache.bundled();
        if (bundled.isPresent()) {
            return NativeLibraryCache.extract(bundled.get(), NativeLibraryCache.defaultRoot());
        }
        return DEFAULT_PATH;
    }
}
