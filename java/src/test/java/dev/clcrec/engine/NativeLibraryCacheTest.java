package dev.clcrec.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCacheTest {
    @Test
    void concurrentExtractionsAgreeOnOneCompleteFileAndLeaveNoTemporaries(@TempDir Path root) throws Exception {
        byte[] lib = new byte[3 << 20];
        new Random(1).nextBytes(lib);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Path>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    Path p = NativeLibraryCache.extract(lib, root);
                    assertArrayEquals(lib, Files.readAllBytes(p)); // never a half-written file
                    return p;
                }));
            }
            go.countDown();
            Path first = results.getFirst().get();
            for (Future<Path> f : results) {
                assertEquals(first, f.get());
            }
        }
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(1, s.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void aDamagedCacheEntryIsReplacedAndAnotherBuildGetsItsOwnFolder(@TempDir Path root) throws Exception {
        byte[] lib = "library one".getBytes();
        Path p = NativeLibraryCache.extract(lib, root);
        Files.write(p, "tampered!!!".getBytes());
        assertArrayEquals(lib, Files.readAllBytes(NativeLibraryCache.extract(lib, root)));
        Path other = NativeLibraryCache.extract("library two".getBytes(), root);
        assertNotEquals(p.getParent(), other.getParent());
    }

    @Test
    void theResourceIsNamedForThisPlatform() {
        assertEquals("native/linux-x86_64/libclcrec.so", NativeLibraryCache.resource());
    }

    @Test
    void aMissingLibTorchSaysWhatToInstall() {
        Path lib = Path.of("/x/libclcrec.so");
        String missing = NativeLibrary.loadFailure(lib, new UnsatisfiedLinkError(
                "/x/libclcrec.so: libtorch_cpu.so: cannot open shared object file: No such file or directory")).getMessage();
        assertTrue(missing.startsWith("LibTorch is missing"), missing);
        assertTrue(missing.contains("apt-get install libtorch-dev"), missing);
        String other = NativeLibrary.loadFailure(lib, new UnsatisfiedLinkError("/x/libclcrec.so: invalid ELF header"))
                .getMessage();
        assertFalse(other.contains("LibTorch is missing"), other);
        assertTrue(other.contains("invalid ELF header"), other);
    }
}
