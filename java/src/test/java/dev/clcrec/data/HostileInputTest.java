package dev.clcrec.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.layout.Manifest;
import dev.clcrec.data.npy.NpyDtype;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.data.pickle.NumpyPickles;
import dev.clcrec.data.pickle.PickleWriter;
import dev.clcrec.data.torch.TorchSaveWriter;
import dev.clcrec.data.torch.TorchTensorFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files, one class each: every one must fail as a {@link DatasetFormatException} naming the
 * file, quickly (the timeout only guards against a hang or a runaway; it is not a speed target).
 */
class HostileInputTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir Path tmp;

    private static void refused(Path file, Executable read, String... parts) {
        DatasetFormatException e = assertTimeoutPreemptively(BOUND,
                () -> assertThrows(DatasetFormatException.class, read));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "names the file: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    private Path objectArray(String name, byte[] pickle) {
        Path f = tmp.resolve(name);
        NpyWriter.writeObjectArray(f, pickle, 1);
        return f;
    }

    @Test
    void pickleNested100000LevelsDeep() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(3);
        int depth = 100_000;
        for (int i = 0; i < depth; i++) {
            p.write(']'); // EMPTY_LIST
        }
        for (int i = 0; i < depth - 1; i++) {
            p.write('a'); // APPEND: each list into the one below it
        }
        p.write('.');
        Path f = objectArray("deep.npy", p.toByteArray());
        refused(f, () -> NumpyPickles.readIntLists(f), "levels deep");
    }

    @Test
    void pickleDeclaringA2GbStringOrAnEnormousByteString() {
        byte[] str = {(byte) 0x80, 3, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a', 'b', '.'};
        Path f = objectArray("bigstr.npy", str);
        refused(f, () -> NumpyPickles.readIntLists(f), "declares 2147483647 bytes");
        byte[] bytes8 = {(byte) 0x80, 4, (byte) 0x8e, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 'a', '.'};
        Path g = objectArray("bigbytes.npy", bytes8);
        refused(g, () -> NumpyPickles.readIntLists(g), "declares");
    }

    /** 0.6 MB of pickle whose 200,000 rows all refer to one memoised 300,000-element list. */
    @Test
    void pickleSharingOneMemoisedListFromEveryRow() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(3);
        p.write(']');
        p.write('q'); // BINPUT 0
        p.write(0);
        p.write('(');
        for (int i = 0; i < 300_000; i++) {
            p.write('K');
            p.write(i & 0x7f);
        }
        p.write('e'); // APPENDS
        p.write(']');
        p.write('(');
        for (int i = 0; i < 200_000; i++) {
            p.write('h'); // BINGET 0
            p.write(0);
        }
        p.write('e');
        p.write('.');
        Path f = objectArray("bomb.npy", p.toByteArray());
        refused(f, () -> NumpyPickles.readIntLists(f), "more than", "elements");
    }

    @Test
    void npyShapeWhoseByteCountOverflows() throws IOException {
        Path f = tmp.resolve("huge.npy");
        Files.write(f, NpyWriter.header(NpyDtype.FLOAT32, 1L << 32, 1L << 32));
        refused(f, () -> NpyFile.readHeader(f), "more bytes than any file");
        try (Arena arena = Arena.ofShared()) {
            refused(f, () -> FeatureLoading.matrix(f, "v", arena));
        }
    }

    @Test
    void torchStorageWithNumelNear2Pow62() throws IOException {
        long numel = (1L << 62) + 1;
        byte[] pkl = new PickleWriter().proto(2)
                .global("torch._utils", "_rebuild_tensor_v2")
                .mark()
                .mark().string("storage").global("torch", "FloatStorage").string("0").string("cpu")
                .integer(numel).tuple().op('Q')
                .integer(0).integer(2).integer(3).op(0x86).integer(3).integer(1).op(0x86)
                .bool(false).global("collections", "OrderedDict").op(')').reduce()
                .tuple().reduce().stop();
        Path f = tmp.resolve("numel.pt");
        writeZip(f, new String[] {"numel/data.pkl", "numel/data/0"}, new byte[][] {pkl, new byte[24]});
        try (Arena arena = Arena.ofShared()) {
            refused(f, () -> TorchTensorFile.readMatrix(f, "v", arena), "too few for " + numel);
        }
    }

    /** A storage entry whose zip headers claim more bytes than it has runs into the next entry. */
    @Test
    void torchStorageShorterThanItsHeadersClaim() throws IOException {
        Path f = tmp.resolve("short.pt");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f, 2f, 3f, 4f, 5f, 6f);
            TorchSaveWriter.writeMatrix(f, data, 2, 3);
        }
        byte[] b = Files.readAllBytes(f);
        ByteBuffer z = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = b.length - 22;
        int cd = z.getInt(eocd + 16);
        int entries = z.getShort(eocd + 10);
        for (int e = 0, p = cd; e < entries; e++) {
            int nameLen = z.getShort(p + 28);
            String name = new String(b, p + 46, nameLen, StandardCharsets.UTF_8);
            if (name.endsWith("data/0")) {
                z.putInt(p + 20, 24 + 40); // claims 40 bytes more than were stored
                z.putInt(p + 24, 24 + 40);
            }
            p += 46 + nameLen + z.getShort(p + 30) + z.getShort(p + 32);
        }
        Path claims = tmp.resolve("claims.pt");
        Files.write(claims, b);
        try (Arena arena = Arena.ofShared()) {
            refused(claims, () -> TorchTensorFile.readMatrix(claims, "v", arena), "run into");
        }
        // and a damaged value in the storage fails its CRC
        byte[] flipped = Files.readAllBytes(f);
        int at = indexOf(flipped, new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f
        flipped[at + 3] ^= 0x40;
        Path crc = tmp.resolve("crc.pt");
        Files.write(crc, flipped);
        try (Arena arena = Arena.ofShared()) {
            refused(crc, () -> TorchTensorFile.readMatrix(crc, "v", arena), "CRC-32");
        }
    }

    @Test
    void fifoAsAFeatureFileIsRefusedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("feat_v.npy");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        try (Arena arena = Arena.ofShared()) {
            refused(fifo, () -> FeatureLoading.matrix(fifo, "v", arena), "not a regular file");
            refused(fifo, () -> CsvFeatures.read(fifo, "v", arena), "not a regular file");
            refused(fifo, () -> TorchTensorFile.readMatrix(fifo, "v", arena), "not a regular file");
        }
        Path dir = tmp.resolve("dir.npy");
        Files.createDirectory(dir);
        refused(dir, () -> NpyFile.readHeader(dir), "a directory");
    }

    @Test
    void csvWithBadValuesNamesLineAndColumn() throws IOException {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "1,2,3\n4,NaN,6\n");
        try (Arena arena = Arena.ofShared()) {
            refused(f, () -> CsvFeatures.read(f, "v", arena), "line 2 column 2");
            Files.writeString(f, "1,2,3\n4,5\n");
            refused(f, () -> CsvFeatures.read(f, "v", arena), "line 2", "earlier lines have 3");
            Files.writeString(f, "1,2,3\n4,x5,6\n");
            refused(f, () -> CsvFeatures.read(f, "v", arena), "'x5' is not a number");
        }
    }

    // ---- manifest.json and held-out pairs (our layout) ----

    private Path copyBundled() throws IOException {
        Path dst = tmp.resolve("ds");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(Path.of("test-data"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return dst;
    }

    private static void replaceInManifest(Path dir, String regex, String to) throws IOException {
        Path m = dir.resolve(Manifest.FILE);
        String s = Files.readString(m);
        String t = s.replaceFirst(regex, to);
        assertNotEquals(s, t, "manifest lacks " + regex);
        Files.writeString(m, t);
    }

    @Test
    void manifestCountsMustBeIntegers() throws IOException {
        for (String value : new String[] {"\"1500\"", "1500.7"}) {
            Path d = copyBundled();
            replaceInManifest(d, "\"num_user\"\\s*:\\s*1500", "\"num_user\" : " + value);
            Path manifest = d.resolve(Manifest.FILE);
            refused(manifest, () -> Datasets.open(d).close(), "num_user");
            deleteTree(d);
        }
    }

    @Test
    void manifestListingAModalityTwiceOrAKeyTwice() throws IOException {
        Path d = copyBundled();
        String s = Files.readString(d.resolve(Manifest.FILE));
        int start = s.indexOf("{", s.indexOf("\"modalities\""));
        int end = s.indexOf("}", start) + 1;
        String first = s.substring(start, end);
        Files.writeString(d.resolve(Manifest.FILE), s.substring(0, end) + ", " + first + s.substring(end));
        refused(d.resolve(Manifest.FILE), () -> Datasets.open(d).close(), "listed twice");
        deleteTree(d);
        Path e = copyBundled();
        replaceInManifest(e, "\"num_user\"", "\"num_user\" : 1500, \"num_user\"");
        refused(e.resolve(Manifest.FILE), () -> Datasets.open(e).close(), "num_user");
    }

    @Test
    void validationPairThatIsAlsoATrainingPairIsRefused() throws IOException {
        Path d = copyBundled();
        String manifest = Files.readString(d.resolve(Manifest.FILE));
        assertTrue(manifest.contains("val.npy") && manifest.contains("train.npy"), manifest);
        long[] train = NpyFile.readLongs(d.resolve("train.npy"), -1, 2);
        long[] val = NpyFile.readLongs(d.resolve("val.npy"), -1, 2);
        long[] withOverlap = java.util.Arrays.copyOf(val, val.length + 2);
        withOverlap[val.length] = train[0];
        withOverlap[val.length + 1] = train[1];
        NpyWriter.writeLongs(d.resolve("val.npy"), withOverlap, withOverlap.length / 2, 2);
        replaceInManifest(d, "\"val\"\\s*:\\s*" + val.length / 2, "\"val\" : " + withOverlap.length / 2);
        DatasetFormatException ex = assertThrows(DatasetFormatException.class, () -> Datasets.open(d).close());
        assertTrue(ex.getMessage().contains("also training pairs") && ex.getMessage().contains("user " + train[0]),
                ex.getMessage());
    }

    // ---- helpers ----

    private static void writeZip(Path f, String[] names, byte[][] contents) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            for (int i = 0; i < names.length; i++) {
                ZipEntry e = new ZipEntry(names[i]);
                e.setMethod(ZipEntry.STORED);
                e.setSize(contents[i].length);
                e.setCompressedSize(contents[i].length);
                CRC32 c = new CRC32();
                c.update(contents[i]);
                e.setCrc(c.getValue());
                zip.putNextEntry(e);
                zip.write(contents[i]);
                zip.closeEntry();
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    private static void deleteTree(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
