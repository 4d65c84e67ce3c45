package dev.clcrec.data.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.engine.FeatureMatrix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged torch.save archive fails with a DatasetFormatException naming the file. */
class CorruptTorchFileTest {
    @TempDir
    Path tmp;

    private Path written() {
        Path f = tmp.resolve("feat.pt");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f, 2f, 3f, 4f, 5f, 6f);
            TorchSaveWriter.writeMatrix(f, data, 2, 3);
        }
        return f;
    }

    @Test
    void roundTrip() {
        Path f = written();
        try (Arena arena = Arena.ofConfined()) {
            FeatureMatrix m = TorchTensorFile.readMatrix(f, "v", arena);
            assertEquals(2, m.rows());
            assertEquals(3, m.cols());
            assertEquals(6f, m.data().getAtIndex(ValueLayout.JAVA_FLOAT, 5));
        }
    }

    @Test
    void centralDirectoryNameRunsPastTheDirectory() throws IOException {
        Path f = written();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = b.limit() - 22;
        assertEquals(0x06054b50, b.getInt(eocd), "test expects an archive without a trailing comment");
        int cd = b.getInt(eocd + 16);
        b.putShort(cd + 28, (short) 0xffff); // first entry's name length
        Files.write(f, b.array());
        try (Arena arena = Arena.ofConfined()) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> TorchTensorFile.readMatrix(f, "v", arena));
            assertTrue(e.getMessage().contains("feat.pt") && e.getMessage().contains("corrupt zip"), e.getMessage());
        }
    }
}
