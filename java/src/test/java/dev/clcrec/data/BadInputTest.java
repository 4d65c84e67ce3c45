package dev.clcrec.data;

import dev.clcrec.data.layout.Manifest;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.data.pickle.NumpyPickles;
import dev.clcrec.data.pickle.PickleClassRefusedException;
import dev.clcrec.data.reference.ReferenceTinyTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of malformed input gives a DatasetFormatException naming the file and the problem. */
class BadInputTest {
    static final Path BUNDLED = Path.of("test-data");

    @TempDir
    Path tmp;

    private Path copy(Path src) throws IOException {
        Path dst = tmp.resolve("ds");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return dst;
    }

    private static void assertMessage(DatasetFormatException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    private DatasetFormatException openFails(Path dir) {
        return assertThrows(DatasetFormatException.class, () -> Datasets.open(dir).close());
    }

    private static void writeManifest(Path dir, String from, String to) throws IOException {
        Path m = dir.resolve(Manifest.FILE);
        String s = Files.readString(m);
        assertTrue(s.contains(from), "manifest lacks " + from);
        Files.writeString(m, s.replace(from, to));
    }

    @Test
    void truncatedNpy() throws IOException {
        Path d = copy(BUNDLED);
        Path f = d.resolve("feat_v.npy");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        assertMessage(openFails(d), "feat_v.npy", "truncated", "needs 256000 data bytes");
        Files.write(f, Arrays.copyOf(b, 40));
        assertMessage(openFails(d), "feat_v.npy", "truncated .npy header");
    }

    @Test
    void corruptNpyHeader() throws IOException {
        Path f = tmp.resolve("x.npy");
        Files.write(f, "not numpy at all".getBytes(StandardCharsets.US_ASCII));
        assertMessage(assertThrows(DatasetFormatException.class, () -> NpyFile.readHeader(f)), "x.npy", "not a .npy file");
        byte[] h = NpyWriter.header(dev.clcrec.data.npy.NpyDtype.FLOAT32, 2, 2);
        String text = new String(h, StandardCharsets.ISO_8859_1).replace("'shape': (2, 2)", "'shape': [2, 2]");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(assertThrows(DatasetFormatException.class, () -> NpyFile.readHeader(f)), "x.npy", "malformed .npy header");
    }

    @Test
    void wrongDtype() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeInts(d.resolve("feat_v.npy"), new int[1000 * 64], 1000, 64);
        assertMessage(openFails(d), "feat_v.npy", "dtype <i4", "expected float32");
        Path big = tmp.resolve("be.npy");
        byte[] h = NpyWriter.header(dev.clcrec.data.npy.NpyDtype.FLOAT32, 1);
        Files.write(big, new String(h, StandardCharsets.ISO_8859_1).replace("<f4", ">f4").getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(assertThrows(DatasetFormatException.class, () -> NpyFile.readHeader(big)), "unsupported dtype '>f4'");
    }

    @Test
    void wrongShape() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeInts(d.resolve("train.npy"), new int[9], 3, 3);
        assertMessage(openFails(d), "train.npy", "shape (3, 3), expected (*, 2)");
    }

    @Test
    void featureRowsDifferFromItemCount() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeFloats(d.resolve("feat_a.npy"), new float[999 * 32], 999, 32);
        assertMessage(openFails(d), "modality 'a'", "999 feature rows", "expected one per item (1000)");
    }

    @Test
    void emptyFeatureMatrixNamesItsFile() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeFloats(d.resolve("feat_v.npy"), new float[0], 1000, 0);
        assertMessage(openFails(d), "feat_v.npy", "cols must be positive");
    }

    @Test
    void featureWidthDiffersFromManifest() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeFloats(d.resolve("feat_a.npy"), new float[1000 * 31], 1000, 31);
        assertMessage(openFails(d), "feat_a.npy", "31 columns", "dim 32");
    }

    @Test
    void idsOutOfRangeOrNegative() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeInts(d.resolve("val.npy"), new int[] {0, 5, 3, 1000}, 2, 2);
        assertMessage(openFails(d), "val.npy", "entry 1", "item id 1000", "0 <= id < 1000");
        NpyWriter.writeInts(d.resolve("val.npy"), new int[] {-1, 5}, 1, 2);
        assertMessage(openFails(d), "val.npy", "entry 0", "user id -1");
    }

    @Test
    void duplicateInteractionsAreDroppedAndCounted() throws IOException {
        Path d = copy(BUNDLED);
        int[] pairs;
        try (Arena a = Arena.ofConfined()) {
            var arr = NpyFile.map(d.resolve("val.npy"), a);
            long n = arr.header().dim(0);
            pairs = new int[(int) (2 * n + 4)];
            for (int k = 0; k < 2 * n; k++) {
                pairs[k] = (int) arr.getLong(k);
            }
            pairs[(int) (2 * n)] = pairs[0];
            pairs[(int) (2 * n + 1)] = pairs[1];
            pairs[(int) (2 * n + 2)] = pairs[2];
            pairs[(int) (2 * n + 3)] = pairs[3];
        }
        NpyWriter.writeInts(d.resolve("val.npy"), pairs, pairs.length / 2, 2);
        try (Dataset ds = Datasets.open(d); Dataset orig = Datasets.open(BUNDLED)) {
            assertEquals(orig.heldOut(Split.VAL, Setting.ALL), ds.heldOut(Split.VAL, Setting.ALL));
        }
        InteractionsBuilder b = new InteractionsBuilder("t", 2, 3);
        b.add(0, 1, 0).add(0, 1, 1).add(1, 2, 2).add(0, 0, 3);
        InteractionsBuilder.Result r = b.build();
        assertEquals(1, r.duplicates());
        assertEquals(3, r.interactions().size());
    }

    @Test
    void itemBothWarmAndCold() throws IOException {
        Path d = copy(ReferenceTinyTest.TINY);
        long[] cold = NpyFile.readLongs(d.resolve("cold_set.npy"), -1);
        cold[0] = 60; // a warm global id
        NpyWriter.writeLongs(d.resolve("cold_set.npy"), cold, cold.length);
        assertMessage(openFails(d), "cold_set.npy", "item 60 is in both warm_set.npy and cold_set.npy");
    }

    @Test
    void coldItemInTraining() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeInts(d.resolve("train.npy"), new int[] {0, 1, 0, 900}, 2, 2);
        writeManifest(d, "\"train\" : 28618", "\"train\" : 2");
        assertMessage(openFails(d), "train: user 0 has item 900", "cold items never appear in training");
    }

    @Test
    void emptySplits() throws IOException {
        Path d = copy(BUNDLED);
        NpyWriter.writeInts(d.resolve("val.npy"), new int[0], 0, 2);
        writeManifest(d, "\"val\" : 8306", "\"val\" : 0");
        assertMessage(openFails(d), "empty split: val");
        NpyWriter.writeInts(d.resolve("train.npy"), new int[0], 0, 2);
        writeManifest(d, "\"train\" : 28618", "\"train\" : 0");
        assertMessage(openFails(d), "empty split: train");
    }

    @Test
    void countMismatchWithManifest() throws IOException {
        Path d = copy(BUNDLED);
        writeManifest(d, "\"test\" : 8305", "\"test\" : 8304");
        assertMessage(openFails(d), "counts.test is 8304", "8305");
    }

    @Test
    void usersWithoutTrainingItems() throws IOException {
        Path d = copy(BUNDLED);
        writeManifest(d, "\"num_user\" : 1500", "\"num_user\" : 1501");
        Files.writeString(d.resolve("user_ids.tsv"), Files.readString(d.resolve("user_ids.tsv")) + "extra\n");
        assertMessage(openFails(d), "1 user(s) have no training items (first: user 1500)");
    }

    @Test
    void nonFiniteFeatures() throws IOException {
        Path d = copy(BUNDLED);
        float[] v = new float[1000 * 32];
        v[7 * 32 + 3] = Float.NaN;
        NpyWriter.writeFloats(d.resolve("feat_t.npy"), v, 1000, 32);
        assertMessage(openFails(d), "modality 't'", "row 7, column 3 is NaN");
        v[7 * 32 + 3] = Float.POSITIVE_INFINITY;
        NpyWriter.writeFloats(d.resolve("feat_t.npy"), v, 1000, 32);
        assertMessage(openFails(d), "row 7, column 3 is Infinity");
    }

    @Test
    void missingFile() throws IOException {
        Path d = copy(BUNDLED);
        Files.delete(d.resolve("feat_a.npy"));
        assertMessage(openFails(d), "feat_a.npy", "missing file");
        Path r = copy2(ReferenceTinyTest.TINY);
        Files.delete(r.resolve("test_warm.npy"));
        assertMessage(openFails(r), "test_warm.npy", "missing file");
        assertMessage(openFails(tmp.resolve("nope")), "missing dataset directory");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMessage(openFails(empty), "not a dataset", "manifest.json");
    }

    private Path copy2(Path src) throws IOException {
        Path dst = tmp.resolve("ref");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return dst;
    }

    @Test
    void unknownFormatVersion() throws IOException {
        Path d = copy(BUNDLED);
        writeManifest(d, "\"format_version\" : 1", "\"format_version\" : 2");
        assertMessage(openFails(d), "manifest.json", "unknown format_version 2");
        writeManifest(d, "\"format_version\" : 2", "\"format_version\" : \"x\"");
        assertMessage(openFails(d), "manifest.json", "malformed manifest");
    }

    @Test
    void truncatedAndCorruptPickles() throws IOException {
        Path d = copy(ReferenceTinyTest.TINY);
        Path f = d.resolve("test_full.npy");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 30));
        assertMessage(openFails(d), "test_full.npy", "corrupt or unsupported pickle");
        byte[] c = b.clone();
        c[128 + 73] = (byte) 0xff; // the MARK opcode at pickle offset 73 becomes an invalid opcode
        Files.write(f, c);
        assertMessage(openFails(d), "test_full.npy", "pickle");
    }

    @Test
    void disallowedPickleClassIsRefused() throws IOException {
        Path f = tmp.resolve("evil.npy");
        byte[] pickle = "\u0080\u0003cos\nsystem\nX\u0002\u0000\u0000\u0000lsq\u0000\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        NpyWriter.writeObjectArray(f, pickle, 1);
        PickleClassRefusedException e = assertThrows(PickleClassRefusedException.class, () -> NumpyPickles.readIntLists(f));
        assertEquals("os.system", e.className());
        assertMessage(e, "evil.npy", "'os.system'", "refuses");
        byte[] stack = "\u0080\u0004\u008c\u0008builtins\u008c\u0004eval\u0093.".getBytes(StandardCharsets.ISO_8859_1);
        NpyWriter.writeObjectArray(f, stack, 1);
        assertMessage(assertThrows(PickleClassRefusedException.class, () -> NumpyPickles.readIntLists(f)), "'builtins.eval'");
        // torch's globals are not allowed in numpy files either
        byte[] torch = "\u0080\u0002ctorch._utils\n_rebuild_tensor_v2\n.".getBytes(StandardCharsets.ISO_8859_1);
        NpyWriter.writeObjectArray(f, torch, 1);
        assertMessage(assertThrows(PickleClassRefusedException.class, () -> NumpyPickles.readIntLists(f)),
                "'torch._utils._rebuild_tensor_v2'");
    }

    @Test
    void heldOutRowForWrongUser() throws IOException {
        Path d = copy(ReferenceTinyTest.TINY);
        var rows = NumpyPickles.readIntLists(d.resolve("val_warm.npy"));
        rows.set(3, new long[] {4, 55});
        NpyWriter.writeObjectArray(d.resolve("val_warm.npy"), dev.clcrec.data.pickle.NumpyPickleWriter.intLists(rows), rows.size());
        assertMessage(openFails(d), "val_warm.npy", "row 3 starts with 4, expected the user id 3");
    }
}
