package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.bundle.BundleFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which names a reload may use; the refusals for what lies outside do not depend on what exists there. */
class BundleRootTest {
    @TempDir Path tmp;
    Path root;
    Path outside;
    BundleRoot bundles;

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(tmp.resolve("bundles"));
        Files.createDirectories(root.resolve("v1"));
        Files.createDirectories(root.resolve("v2"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("v2")); // a link inside: allowed
        outside = Files.createDirectories(tmp.resolve("elsewhere/secret-bundle"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape-dangling"), tmp.resolve("elsewhere/not-there"));
        bundles = new BundleRoot(root);
    }

    @Test
    void namesInsideResolveToTheirRealFolder() throws Exception {
        Path real = root.toRealPath();
        assertEquals(real.resolve("v1"), bundles.resolve("v1"));
        assertEquals(real.resolve("v2"), bundles.resolve("current"));
        assertEquals(real.resolve("v2"), bundles.resolve("v1/../v2"));
        assertEquals(real.resolve("v1"), bundles.resolve(root.resolve("v1").toString())); // absolute, inside
        assertEquals(real.resolve("v9"), bundles.resolve("v9")); // missing inside: loading it says so
    }

    @Test
    void everythingOutsideGetsOneAndTheSameRefusal() throws Exception {
        List<String> names = List.of(outside.toString(), tmp.resolve("elsewhere/not-there").toString(), "/etc",
                "/nonexistent-" + System.nanoTime(), "../elsewhere/secret-bundle", "../elsewhere/not-there", "..", ".",
                "v1/../../elsewhere", "escape", "escape-dangling", "escape/sub", "escape-dangling/sub", root.toString());
        String first = null;
        for (String name : names) {
            ApiError e = assertThrows(ApiError.class, () -> bundles.resolve(name), name);
            assertEquals(403, e.status, name);
            assertEquals("bundle", e.field);
            if (first == null) {
                first = e.getMessage();
            }
            assertEquals(first, e.getMessage(), name);
            assertFalse(e.getMessage().contains(tmp.toString()), e.getMessage());
        }
    }

    @Test
    void aNameThatIsNotAPathIsA400() {
        ApiError e = assertThrows(ApiError.class, () -> bundles.resolve("v1\u0000x"));
        assertEquals(400, e.status);
        assertEquals("bundle", e.field);
    }

    @Test
    void loadErrorsNameFilesRelativeToTheRoot() throws Exception {
        Path manifest = root.toRealPath().resolve("v1/manifest.json");
        String m = bundles.describe(new BundleFormatException(manifest, "missing file (is this a clcrec model bundle?)"));
        assertEquals("v1/manifest.json: missing file (is this a clcrec model bundle?)", m);
        m = bundles.describe(new BundleFormatException(root.resolve("v2/x.npy"), "cannot read: " + root.resolve("v2/x.npy")));
        assertEquals("v2/x.npy: cannot read: v2/x.npy", m);
    }

    @Test
    void theRootMustBeAnExistingFolderOtherThanTheFileSystemRoot() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BundleRoot(tmp.resolve("absent")));
        assertTrue(e.getMessage().contains(tmp.resolve("absent").toString()), e.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BundleRoot(file)).getMessage()
                .contains("not a folder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BundleRoot(Path.of("/"))).getMessage()
                .contains("file system root"));
    }
}
