package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A missing or foreign library is refused with a clear message. Runs in child JVMs, because a JVM
 * loads the library once.
 */
class LibraryLoadingTest {
    @Test
    void loadedLibraryReportsItsVersions() {
        String torch = NativeLibrary.torchVersion();
        assertTrue(torch.matches("\\d+\\.\\d+.*"), "LibTorch version: " + torch);
        assertTrue(NativeLibrary.cudaDeviceCount() >= 0);
    }

    @Test
    void missingLibraryIsNamed() throws Exception {
        String out = probe("/nonexistent/dir/libclcrec.so");
        assertTrue(out.contains("not found") && out.contains("/nonexistent/dir/libclcrec.so"), out);
    }

    @Test
    void foreignLibraryIsRefused() throws Exception {
        Path libm = List.of(Path.of("/lib/x86_64-linux-gnu/libm.so.6"), Path.of("/usr/lib/x86_64-linux-gnu/libm.so.6"))
                .stream().filter(Files::exists).findFirst().orElseThrow();
        String out = probe(libm.toString());
        assertTrue(out.contains("does not export") && out.contains("clcrec_abi_version"), out);
    }

    private static String probe(String library) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dclcrec.library=" + library, "-cp", System.getProperty("java.class.path"),
                LoadProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), "probe exits through the IllegalStateException path: " + out);
        assertFalse(out.contains("SIGSEGV"), out);
        return out;
    }

    /** Child-JVM entry point: tries to load the library and reports the message. */
    public static final class LoadProbe {
        public static void main(String[] args) {
            try {
                NativeLibrary.ensureLoaded();
                System.out.println("loaded");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                // a second attempt repeats the same message rather than half-working
                try {
                    NativeLibrary.ensureLoaded();
                } catch (IllegalStateException again) {
                    System.exit(again.getMessage().equals(e.getMessage()) ? 3 : 4);
                }
                System.exit(5);
            }
        }
    }
}
