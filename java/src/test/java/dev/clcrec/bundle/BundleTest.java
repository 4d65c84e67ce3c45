package dev.clcrec.bundle;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ModelConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
    @TempDir static Path dir;
    static Dataset data;
    static Recommender trained;
    static Path bundle;

    @BeforeAll
    static void train() throws Exception {
        data = ServingFixtures.dataset();
        bundle = dir.resolve("bundle");
        trained = ServingFixtures.trainBundle(data, bundle, 3, 2);
    }

    @AfterAll
    static void close() {
        trained.close();
        data.close();
    }

    @Test
    void openedBundleServesLikeTheDatasetAndTheNativeRanking() {
        try (Recommender served = Recommender.open(bundle)) {
            assertEquals(data.numItem(), served.catalogSize());
            assertEquals(16, served.modelVersion().length());
            for (int u = 0; u < data.numUser(); u++) {
                for (ItemFilter f : ItemFilter.values()) {
                    String user = "u" + u;
                    assertEquals(trained.recommend(user, 10, f), served.recommend(user, 10, f), user + " " + f);
                }
            }
            // The Java ranking over the snapshot agrees with the engine's own top-K.
            ClcrecModel model = served.model();
            try (Arena a = Arena.ofConfined()) {
                for (int u = 0; u < data.numUser(); u += 7) {
                    int[] seen = data.train().row(u);
                    MemorySegment users = a.allocateFrom(ValueLayout.JAVA_LONG, u);
                    MemorySegment off = a.allocateFrom(ValueLayout.JAVA_LONG, 0, seen.length);
                    MemorySegment ex = a.allocate(ValueLayout.JAVA_LONG, Math.max(1, seen.length));
                    for (int i = 0; i < seen.length; i++) {
                        ex.setAtIndex(ValueLayout.JAVA_LONG, i, seen[i]);
                    }
                    MemorySegment items = a.allocate(ValueLayout.JAVA_LONG, 10);
                    MemorySegment scores = a.allocate(ValueLayout.JAVA_FLOAT, 10);
                    model.topK(users, 1, off, ex, null, 1, 10, items, scores);
                    List<Recommendation> mine = served.recommend(u, 10, ItemFilter.ALL);
                    for (int i = 0; i < 10; i++) {
                        assertEquals(scores.getAtIndex(ValueLayout.JAVA_FLOAT, i), mine.get(i).score(), 1e-4f);
                        assertFalse(data.train().contains(u, mine.get(i).item()));
                    }
                }
            }
        }
    }

    @Test
    void everyFileIsListedWithItsChecksum() throws IOException {
        BundleManifest m = BundleReader.verify(bundle);
        assertEquals(BundleManifest.VERSION, m.formatVersion());
        try (Stream<Path> s = Files.list(bundle)) {
            List<String> onDisk = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("manifest.json"))
                    .sorted().toList();
            assertEquals(onDisk, m.files().stream().map(BundleManifest.FileEntry::name).sorted().toList());
        }
        assertEquals(List.of("v"), m.modalities().stream().map(BundleManifest.Modality::name).toList());
    }

    @Test
    void corruptTruncatedAndMissingFilesAreRefusedByName(@TempDir Path tmp) throws IOException {
        Path flipped = copy(tmp.resolve("flipped"));
        try (RandomAccessFile f = new RandomAccessFile(flipped.resolve("content_v.npy").toFile(), "rw")) {
            f.seek(200);
            int b = f.read();
            f.seek(200);
            f.write(b ^ 0x40);
        }
        refused(flipped, "content_v.npy", "checksum");

        Path truncated = copy(tmp.resolve("truncated"));
        Path ckpt = truncated.resolve("model.ckpt");
        Files.write(ckpt, java.util.Arrays.copyOf(Files.readAllBytes(ckpt), (int) Files.size(ckpt) / 2));
        refused(truncated, "model.ckpt", "truncated");

        Path missing = copy(tmp.resolve("missing"));
        Files.delete(missing.resolve("item_ids.tsv"));
        refused(missing, "item_ids.tsv", "missing");

        Path noManifest = copy(tmp.resolve("nomanifest"));
        Files.delete(noManifest.resolve("manifest.json"));
        refused(noManifest, "manifest.json", "missing");

        Path future = copy(tmp.resolve("future"));
        ObjectNode tree = (ObjectNode) BundleWriter.json().readTree(future.resolve("manifest.json").toFile());
        tree.put("format_version", 99);
        BundleWriter.json().writeValue(future.resolve("manifest.json").toFile(), tree);
        refused(future, "manifest.json", "version 99");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedEvenWithMatchingChecksums(@TempDir Path tmp) throws IOException {
        Path mismatched = copy(tmp.resolve("mismatched"));
        // A model of another size, its file slipped in and the manifest's checksum "fixed" to match.
        ModelConfig other = trained.model().config().withNumUser(data.numUser() + 5);
        try (ClcrecModel m = ClcrecModel.create(other, data.content())) {
            m.save(mismatched.resolve("model.ckpt"));
        }
        ObjectNode tree = (ObjectNode) BundleWriter.json().readTree(mismatched.resolve("manifest.json").toFile());
        for (var f : tree.withArray("files")) {
            if (f.get("name").asText().equals("model.ckpt")) {
                ((ObjectNode) f).put("bytes", Files.size(mismatched.resolve("model.ckpt")));
                ((ObjectNode) f).put("sha256", Checksums.sha256(mismatched.resolve("model.ckpt")));
            }
        }
        BundleWriter.json().writeValue(mismatched.resolve("manifest.json").toFile(), tree);
        refused(mismatched, "model.ckpt", "mismatched");
    }

    @Test
    void writingOverAnExistingBundleReplacesIt(@TempDir Path tmp) {
        Path target = tmp.resolve("bundle");
        trained.saveBundle(target);
        String first = BundleReader.verify(target).created();
        trained.saveBundle(target);
        assertNotEquals(first, BundleReader.verify(target).created());
        assertEquals(List.of("bundle"), list(tmp)); // no temporary or old folders left behind
    }

    private static List<String> list(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void refused(Path b, String file, String words) {
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> Recommender.open(b).close());
        assertEquals(file, e.file().getFileName().toString(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    private static Path copy(Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(bundle)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }
}
