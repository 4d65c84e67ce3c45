package dev.clcrec.data.torch;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.pickle.PickleWhitelist;
import dev.clcrec.data.pickle.PickleValues;
import dev.clcrec.data.pickle.RestrictedUnpickler;
import dev.clcrec.data.pickle.TorchStorageRef;
import dev.clcrec.data.pickle.TorchTensorRef;
import dev.clcrec.engine.FeatureMatrix;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a 2-d float32 tensor saved by {@code torch.save} (zip archive: {@code <dir>/data.pkl} and
 * {@code <dir>/data/<key>}) without Python or LibTorch. A contiguous tensor is memory-mapped straight
 * from the stored zip entry; a strided one is gathered into native memory of the arena.
 */
public final class TorchTensorFile {
    private TorchTensorFile() {}

    public static FeatureMatrix readMatrix(Path file, String name, Arena arena) {
        dev.clcrec.data.InputFiles.requireRegular(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ZipDirectory zip = ZipDirectory.read(file, ch);
            ZipDirectory.Entry pkl = zip.entries().values().stream()
                    .filter(e -> e.name().endsWith("/data.pkl") || e.name().equals("data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> new DatasetFormatException(file + ": no data.pkl entry; expected a torch.save archive"));
            String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
            byte[] pickle = storedBytes(file, ch, pkl);
            Object o = RestrictedUnpickler.load(file + " (" + pkl.name() + ")", new ByteArrayInputStream(pickle),
                    pickle.length,
                    PickleWhitelist.torch(), pid -> storageRef(file, pid));
            if (!(o instanceof TorchTensorRef t)) {
                throw new DatasetFormatException(file + ": holds " + (o == null ? "None" : o.getClass().getSimpleName())
                        + ", expected a single tensor");
            }
            if (t.size().length != 2) {
                throw new DatasetFormatException(file + ": tensor has " + t.size().length
                        + " dimensions, expected 2 (items x features)");
            }
            ZipDirectory.Entry data = zip.entries().get(prefix + "data/" + t.storage().key());
            if (data == null) {
                throw new DatasetFormatException(file + ": storage entry '" + prefix + "data/" + t.storage().key() + "' is missing");
            }
            if (data.method() != 0) {
                throw new DatasetFormatException(file + ": storage entry '" + data.name()
                        + "' is compressed; expected STORED as torch.save writes");
            }
            long numel = t.storage().numel();
            if (numel < 0 || numel > Math.min(data.size(), data.compressedSize()) / Float.BYTES) {
                throw new DatasetFormatException(file + ": storage entry '" + data.name() + "' has " + data.size()
                        + " bytes, too few for " + numel + " floats");
            }
            long rows = t.size()[0];
            long cols = t.size()[1];
            if (rows <= 0 || cols <= 0) {
                throw new DatasetFormatException(file + ": tensor of size " + rows + "x" + cols
                        + ", expected at least one item and one feature");
            }
            long last;
            try {
                last = Math.addExact(t.offset(), Math.addExact(Math.multiplyExact(rows - 1, t.stride()[0]),
                        Math.multiplyExact(cols - 1, t.stride()[1])));
                Math.multiplyExact(Math.multiplyExact(rows, cols), (long) Float.BYTES);
            } catch (ArithmeticException overflow) {
                last = Long.MAX_VALUE;
            }
            if (t.offset() < 0 || t.stride()[0] < 0 || t.stride()[1] < 0 || rows > 0 && cols > 0 && last >= numel) {
                throw new DatasetFormatException(file + ": tensor view (offset " + t.offset() + ", size "
                        + rows + "x" + cols + ", stride " + t.stride()[0] + "," + t.stride()[1]
                        + ") exceeds its storage of " + numel + " elements");
            }
            MemorySegment storage = ch.map(FileChannel.MapMode.READ_ONLY, data.dataOffset(), data.compressedSize(), arena);
            data.verifyCrc(file, storage);
            storage = storage.asSlice(0, numel * Float.BYTES);
            boolean contiguous = t.stride()[1] == 1 && t.stride()[0] == cols;
            if (contiguous && storage.address() % Float.BYTES == 0) {
                return FeatureLoading.feature(file, name,
                        storage.asSlice(t.offset() * Float.BYTES, rows * cols * Float.BYTES), rows, cols);
            }
            MemorySegment out = arena.allocate(rows * cols * Float.BYTES, 64);
            for (long r = 0; r < rows; r++) {
                for (long c = 0; c < cols; c++) {
                    long k = t.offset() + r * t.stride()[0] + c * t.stride()[1];
                    out.setAtIndex(ValueLayout.JAVA_FLOAT, r * cols + c,
                            storage.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, k));
                }
            }
            return FeatureLoading.feature(file, name, out, rows, cols);
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static TorchStorageRef storageRef(Path file, Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])) {
            throw new DatasetFormatException(file + ": unexpected persistent id, expected ('storage', type, key, location, numel)");
        }
        if (!(t[1] instanceof PickleWhitelist.TypeMarker type) || !type.name().equals("torch.FloatStorage")) {
            throw new DatasetFormatException(file + ": storage type " + t[1] + ", expected torch.FloatStorage (float32)");
        }
        if (!(t[2] instanceof String key) || !(t[3] instanceof String location)) {
            throw new DatasetFormatException(file + ": malformed storage persistent id");
        }
        return new TorchStorageRef(type.name(), key, location, PickleValues.toLong(t[4], "storage size"));
    }

    private static byte[] storedBytes(Path file, FileChannel ch, ZipDirectory.Entry e) throws IOException {
        if (e.method() != 0 || e.size() > 64 << 20) {
            throw new DatasetFormatException(file + ": entry '" + e.name() + "' is compressed or too large");
        }
        ByteBuffer b = ByteBuffer.allocate((int) e.size());
        long p = e.dataOffset();
        while (b.hasRemaining()) {
            if (ch.read(b, p + b.position()) < 0) {
                throw new DatasetFormatException(file + ": truncated entry '" + e.name() + "'");
            }
        }
        e.verifyCrc(file, MemorySegment.ofArray(b.array()));
        return b.array();
    }
}
