package dev.clcrec.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.CsvFeatures;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.layout.InteractionFiles;
import dev.clcrec.data.layout.ManifestFiles;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.pickle.NumpyPickles;
import dev.clcrec.data.torch.TorchTensorFile;
import dev.clcrec.engine.ClcrecException;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of every reader of untrusted bytes. The property, for every input: the reader
 * accepts it or throws its documented error type ({@link DatasetFormatException}; for checkpoints
 * {@link ClcrecException} with status IO) with a message naming the file, within a per-input time
 * and allocation bound. Anything else (another exception, an Error, a hang, a runaway allocation)
 * fails with the reader, run seed and input index, which reproduce the input exactly.
 *
 * <p>The standard run does {@value #DEFAULT_ITERATIONS} inputs per reader (seconds in all). A soak:
 * {@code mvn test -Dtest=ReaderFuzzTest -Dclcrec.fuzz.iterations=20000 -Dclcrec.fuzz.seed=7}.
 */
class ReaderFuzzTest {
    static final int DEFAULT_ITERATIONS = 150;
    static final int ITERATIONS = Integer.getInteger("clcrec.fuzz.iterations", DEFAULT_ITERATIONS);
    static final long SEED = Long.getLong("clcrec.fuzz.seed", 1L);
    /** Generous bounds for a loaded 2-core machine: a hang guard, not a speed target. */
    static final long MAX_NANOS_PER_INPUT = 10_000_000_000L;
    static final long MAX_HEAP_BYTES_PER_INPUT = 512L << 20;
    static final Path TINY = Path.of("java/src/test/resources/reference-tiny");
    static final Path BUNDLED = Path.of("test-data");
    private static final StringBuilder SUMMARY = new StringBuilder();

    @TempDir Path tmp;

    interface Reader {
        void read(Path file) throws Exception;
    }

    /** Runs ITERATIONS mutants of seed through reader; returns {accepted, refused}. */
    private long[] fuzz(String name, byte[] seed, String fileName, Class<? extends RuntimeException> documented,
                        Reader reader) throws Exception {
        return fuzz(name, seed, fileName, fileName, documented, reader);
    }

    /** As above; {@code named} is what every refusal's message must contain (the file, or the folder it is part of). */
    private long[] fuzz(String name, byte[] seed, String fileName, String named,
                        Class<? extends RuntimeException> documented, Reader reader) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long accepted = 0;
        long refused = 0;
        long slowest = 0;
        Path file = tmp.resolve(fileName);
        for (long i = 0; i < ITERATIONS; i++) {
            byte[] input = i == 0 ? seed : Mutator.mutate(seed, SEED, i);
            Files.write(file, input);
            String where = name + " input " + i + " (seed " + SEED + ")";
            long alloc0 = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            try {
                reader.read(file);
                accepted++;
            } catch (RuntimeException e) {
                if (!documented.isInstance(e)) {
                    throw new AssertionError(where + ": undocumented " + e.getClass().getName() + ": " + e.getMessage(), e);
                }
                if (e instanceof ClcrecException c && c.status() != ClcrecException.IO) {
                    throw new AssertionError(where + ": status " + c.status() + ": " + e.getMessage(), e);
                }
                if (e.getMessage() == null || !e.getMessage().contains(named)) {
                    throw new AssertionError(where + ": message does not name the file: " + e.getMessage(), e);
                }
                refused++;
            } catch (Error e) {
                throw new AssertionError(where + ": " + e, e);
            }
            long nanos = System.nanoTime() - t0;
            long alloc = threads.getCurrentThreadAllocatedBytes() - alloc0;
            slowest = Math.max(slowest, nanos);
            assertTrue(nanos < MAX_NANOS_PER_INPUT, where + ": took " + nanos / 1e9 + " s");
            assertTrue(alloc < MAX_HEAP_BYTES_PER_INPUT, where + ": allocated " + alloc + " bytes");
        }
        synchronized (SUMMARY) {
            SUMMARY.append(String.format(Locale.ROOT, "fuzz %-22s %6d inputs: %6d accepted, %6d refused (documented type,"
                    + " file named), slowest %.1f ms%n", name, ITERATIONS, accepted, refused, slowest / 1e6));
        }
        assertTrue(refused > 0, name + ": mutations are refused at least sometimes (else the fuzzer is not reaching it)");
        return new long[] {accepted, refused};
    }

    @AfterAll
    static void printSummary() {
        System.out.print(SUMMARY);
    }

    @Test
    void npyNumericArrays() throws Exception {
        byte[] seed = Files.readAllBytes(TINY.resolve("feat_v.npy"));
        fuzz("npy header+data", seed, "feat_v.npy", DatasetFormatException.class, f -> {
            try (Arena arena = Arena.ofConfined()) {
                FeatureMatrix m = FeatureLoading.matrix(f, "v", arena);
                dev.clcrec.data.FeatureChecks.checkFinite(f.toString(), m.data(), m.rows(), m.cols());
            }
        });
        byte[] ints = Files.readAllBytes(TINY.resolve("train.npy"));
        fuzz("npy int pairs", ints, "train.npy", DatasetFormatException.class, f -> NpyFile.readLongs(f, -1, 2));
    }

    @Test
    void restrictedUnpickler() throws Exception {
        fuzz("pickle int lists", Files.readAllBytes(TINY.resolve("val_full.npy")), "val_full.npy",
                DatasetFormatException.class, NumpyPickles::readIntLists);
        fuzz("pickle dict of sets", Files.readAllBytes(TINY.resolve("user_item_train_dict.npy")),
                "user_item_train_dict.npy", DatasetFormatException.class, NumpyPickles::readDictOfSets);
    }

    @Test
    void torchSaveZip() throws Exception {
        fuzz("torch.save zip", Files.readAllBytes(TINY.resolve("feat_v.pt")), "feat_v.pt",
                DatasetFormatException.class, f -> {
                    try (Arena arena = Arena.ofConfined()) {
                        TorchTensorFile.readMatrix(f, "v", arena);
                    }
                });
    }

    @Test
    void manifestAndTsv() throws Exception {
        fuzz("manifest.json", Files.readAllBytes(BUNDLED.resolve("manifest.json")), "manifest.json",
                DatasetFormatException.class, ManifestFiles::read);
        StringBuilder tsv = new StringBuilder("user\titem\n");
        for (int u = 0; u < 40; u++) {
            tsv.append(u).append('\t').append((u * 7) % 30).append('\n');
        }
        fuzz("interactions .tsv", tsv.toString().getBytes(StandardCharsets.UTF_8), "train.tsv",
                DatasetFormatException.class, f -> InteractionFiles.read(f, 40, 30));
    }

    @Test
    void csvFeatures() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 12; r++) {
            for (int c = 0; c < 6; c++) {
                csv.append(c > 0 ? "," : "").append((r * 6 + c) * 0.125 - 3);
            }
            csv.append('\n');
        }
        fuzz("csv features", csv.toString().getBytes(StandardCharsets.UTF_8), "new_v.csv",
                DatasetFormatException.class, f -> {
                    try (Arena arena = Arena.ofConfined()) {
                        CsvFeatures.read(f, "v", arena);
                    }
                });
    }

    /**
     * Mutated manifests of a real model bundle: the manifest is the bundle's only unchecksummed file (it
     * carries the others' sizes and digests), so every damage must be refused naming the bundle.
     */
    @Test
    void bundleManifests() throws Exception {
        Path bundle = tmp.resolve("served-bundle");
        dev.clcrec.data.Dataset data = dev.clcrec.api.ServingFixtures.dataset();
        try (dev.clcrec.api.Recommender rec = dev.clcrec.api.ServingFixtures.trainBundle(data, bundle, 5, 1)) {
            assertNotNull(rec);
        }
        byte[] seed = Files.readAllBytes(bundle.resolve("manifest.json"));
        fuzz("bundle manifest.json", seed, "served-bundle/manifest.json", "served-bundle",
                dev.clcrec.bundle.BundleFormatException.class, f -> {
                    try (dev.clcrec.api.Recommender r = dev.clcrec.api.Recommender.open(f.getParent(), Device.CPU, 1)) {
                        assertNotNull(r);
                    }
                });
    }

    /** Mutated checkpoint units: every damaged one must be refused by the checks before the engine parses it. */
    @Test
    void checkpointUnits() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            int items = 12;
            int width = 5;
            float[] v = new float[items * width];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) Math.sin(k);
            }
            ContentFeatures content = new ContentFeatures(List.of(new FeatureMatrix("v",
                    arena.allocateFrom(ValueLayout.JAVA_FLOAT, v), items, width)), null);
            ModelConfig config = ModelConfig.defaults(9, items, 8).withDimE(4).withHiddenDim(6).withDevice(Device.CPU)
                    .withNumThreads(1).withSeed(3);
            Path good = tmp.resolve("good.ckpt");
            try (ClcrecModel model = ClcrecModel.create(config, content)) {
                model.save(good, "{\"state\": 1}".getBytes(StandardCharsets.UTF_8));
            }
            long[] counts = fuzz("checkpoint unit", Files.readAllBytes(good), "model.ckpt", ClcrecException.class, f -> {
                ClcrecModel.Loaded l = ClcrecModel.loadWithState(f, content, Device.CPU, 0, 1);
                l.model().close();
            });
            // Only the unmutated seed (and mutations that happen to restore it) may load.
            assertTrue(counts[0] >= 1 && counts[0] <= Math.max(1, ITERATIONS / 50), "accepted " + counts[0]);
        }
    }
}
