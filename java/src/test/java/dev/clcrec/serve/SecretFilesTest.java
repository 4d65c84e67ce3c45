package dev.clcrec.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    static final String SECRET = "s3cret-0123456789abcdef";
    @TempDir Path dir;
    final List<String> warnings = new ArrayList<>();

    Path file(String name, String content, String perms) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    String refusal(Path f) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecretFiles.read(f, "--token-file", warnings::add));
        assertTrue(e.getMessage().startsWith("--token-file " + f + " "), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "the secret is never echoed: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aPrivateFileGivesItsOneLineWithoutTheLineBreak() throws Exception {
        assertEquals(SECRET, SecretFiles.read(file("t", SECRET + "\n", "rw-------"), "--token-file", warnings::add));
        assertEquals(SECRET, SecretFiles.read(file("crlf", SECRET + "\r\n", "r--------"), "--token-file", warnings::add));
        assertEquals(SECRET, SecretFiles.read(file("bare", SECRET, "r--------"), "--token-file", warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aGroupReadableFileIsReadWithAWarningNamingIt() throws Exception {
        Path f = file("g", SECRET + "\n", "rw-r-----");
        assertEquals(SECRET, SecretFiles.read(f, "--token-file", warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains(f.toString()) && warnings.getFirst().contains("group"), warnings.toString());
    }

    @Test
    void missingOpenEmptyOrMultiLineFilesAreRefusedNamingTheFile() throws Exception {
        assertTrue(refusal(dir.resolve("absent")).contains("does not exist"));
        assertTrue(refusal(dir).contains("not a regular file"));
        assertTrue(refusal(file("world", SECRET, "rw-r--r--")).contains("readable by every user"));
        assertTrue(refusal(file("gw", SECRET, "rw--w----")).contains("rewritten by other users"));
        assertTrue(refusal(file("ow", SECRET, "rw-----w-")).contains("rewritten by other users"));
        assertTrue(refusal(file("empty", "", "rw-------")).endsWith("is empty"));
        assertTrue(refusal(file("newline", "\n\n", "rw-------")).endsWith("is empty"));
        assertTrue(refusal(file("two", SECRET + "\nsecond\n", "rw-------")).contains("more than one line"));
        Path latin1 = dir.resolve("latin1");
        Files.write(latin1, new byte[] {'a', (byte) 0xe9, 'b'});
        Files.setPosixFilePermissions(latin1, PosixFilePermissions.fromString("rw-------"));
        assertTrue(refusal(latin1).contains("not UTF-8"));
    }
}
