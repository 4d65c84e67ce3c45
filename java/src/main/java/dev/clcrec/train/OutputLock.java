package dev.clcrec.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive hold on a training output folder, so that two runs given the same {@code --out}
 * cannot overwrite each other's checkpoints and results. It is an OS file lock on
 * {@code <out>/.clcrec.lock}: released when closed or when the process dies (also by SIGKILL), so a
 * crashed run never leaves the folder locked. The lock file itself stays; it holds the last
 * owner's process id for whoever wonders.
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE_NAME = ".clcrec.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder (creating it); throws {@link OutputInUseException} when another run holds it. */
    public static OutputLock acquire(Path outDir) {
        Path file = outDir.resolve(FILE_NAME);
        FileChannel ch;
        try {
            Files.createDirectories(outDir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lock file " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this same process
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(ch);
            throw new OutputInUseException(outDir);
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            // the pid is a courtesy; the lock is what matters
        }
        return new OutputLock(ch, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Another training run is writing to the same output folder. */
    public static final class OutputInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputInUseException(Path outDir) {
            super("--out " + outDir + " is in use by another training run (it holds " + outDir.resolve(FILE_NAME)
                    + "); wait for it to finish or choose another --out");
        }
    }
}
