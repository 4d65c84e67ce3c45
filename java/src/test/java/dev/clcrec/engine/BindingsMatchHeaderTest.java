package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clcrec.ffi.clcrec_h;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The committed bindings are generated from the current header: every clcrec_* function declared in
 * native/include/clcrec.h has a binding and vice versa, and the constants agree. Fails when someone
 * changes the header without rerunning scripts/jextract.sh.
 */
class BindingsMatchHeaderTest {
    private static final Path HEADER = Path.of("native", "include", "clcrec.h");
    private static final Pattern FUNCTION = Pattern.compile("\\b(clcrec_[A-Za-z0-9_]+)\\s*\\(");
    private static final Pattern DEFINE = Pattern.compile("(?m)^\\s*#define\\s+(CLCREC_[A-Z0-9_]+)\\s+(-?\\d+)\\b");

    @Test
    void everyHeaderFunctionHasABindingAndViceVersa() {
        Set<String> declared = headerFunctions();
        Set<String> bound = boundFunctions();
        assertTrue(declared.size() >= 20, "parsed too few functions from the header: " + declared);
        Set<String> unbound = new TreeSet<>(declared);
        unbound.removeAll(bound);
        Set<String> stale = new TreeSet<>(bound);
        stale.removeAll(declared);
        assertTrue(unbound.isEmpty(), "declared in clcrec.h but missing from dev.clcrec.ffi (rerun scripts/jextract.sh): "
                + unbound);
        assertTrue(stale.isEmpty(), "bound in dev.clcrec.ffi but no longer declared in clcrec.h: " + stale);
    }

    @Test
    void constantsMatchTheHeader() throws Exception {
        Map<String, Integer> defines = headerDefines();
        assertFalse(defines.isEmpty());
        assertEquals(defines.get("CLCREC_ABI_VERSION"), clcrec_h.CLCREC_ABI_VERSION(), "ABI version");
        for (var e : defines.entrySet()) {
            Method m = clcrec_h.class.getMethod(e.getKey());
            assertEquals(e.getValue(), ((Number) m.invoke(null)).intValue(), e.getKey());
        }
        // The engine's own copies of the status codes must agree with the header.
        assertEquals(defines.get("CLCREC_ERR_INVALID_ARGUMENT"), ClcrecException.INVALID_ARGUMENT);
        assertEquals(defines.get("CLCREC_ERR_RUNTIME"), ClcrecException.RUNTIME);
        assertEquals(defines.get("CLCREC_ERR_IO"), ClcrecException.IO);
        assertEquals(defines.get("CLCREC_ERR_OUT_OF_MEMORY"), ClcrecException.OUT_OF_MEMORY);
        assertEquals(defines.get("CLCREC_ERR_UNSUPPORTED"), ClcrecException.UNSUPPORTED);
        assertEquals(defines.get("CLCREC_ERR_DISTRIBUTED"), ClcrecException.DISTRIBUTED);
        assertEquals(defines.get("CLCREC_ERR_NOT_FINITE"), ClcrecException.NOT_FINITE);
    }

    @Test
    void loadedLibraryHasTheBindingsAbiVersion() {
        NativeLibrary.ensureLoaded(); // throws with the versions when they differ
        assertEquals(clcrec_h.CLCREC_ABI_VERSION(), clcrec_h.clcrec_abi_version());
        assertEquals(boundFunctions(), new TreeSet<>(NativeLibrary.boundFunctions()),
                "NativeLibrary checks exactly the bound functions at load time");
    }

    static Set<String> headerFunctions() {
        String text = withoutComments(read());
        Set<String> names = new TreeSet<>();
        Matcher m = FUNCTION.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Functions of the generated header class: jextract emits NAME$descriptor() for each. */
    static Set<String> boundFunctions() {
        Set<String> names = new TreeSet<>();
        for (Method m : clcrec_h.class.getMethods()) {
            String n = m.getName();
            if (Modifier.isStatic(m.getModifiers()) && n.startsWith("clcrec_") && n.endsWith("$descriptor")) {
                names.add(n.substring(0, n.length() - "$descriptor".length()));
            }
        }
        return names;
    }

    private static Map<String, Integer> headerDefines() {
        Matcher m = DEFINE.matcher(withoutComments(read()));
        Map<String, Integer> defines = new TreeMap<>();
        while (m.find()) {
            defines.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return defines;
    }

    private static String withoutComments(String c) {
        return c.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    private static String read() {
        try {
            return Files.readString(HEADER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + HEADER.toAbsolutePath(), e);
        }
    }

    @Test
    void parserSeesEveryKindOfDeclaration() {
        // guards the regex itself: it must find functions with void, pointer and struct-pointer returns
        Set<String> declared = headerFunctions();
        assertTrue(declared.containsAll(Set.of("clcrec_model_free", "clcrec_last_error", "clcrec_abi_version",
                "clcrec_model_create")), declared.stream().collect(Collectors.joining(", ")));
    }
}
