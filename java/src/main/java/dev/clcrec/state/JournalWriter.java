package dev.clcrec.state;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends records to one journal file and makes them durable with group commit: {@link #append}
 * writes a record and returns at once; {@link #awaitDurable} returns once an fsync that began
 * after that write has finished. One caller runs the fsync while the others wait for it, so N
 * concurrent writers cost one fsync, not N. A failed write or fsync poisons the writer: every later
 * call throws, since what reached the disk is no longer known (the state directory recovers on the
 * next open).
 */
final class JournalWriter implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition synced = lock.newCondition();
    private long nextSeq;
    private long end;          // bytes written
    private long durableEnd;   // bytes known to be on disk
    private boolean syncing;
    private IOException failure;

    private JournalWriter(Path file, FileChannel channel, long nextSeq, long end) {
        this.file = file;
        this.channel = channel;
        this.nextSeq = nextSeq;
        this.end = end;
        this.durableEnd = end;
    }

    /** Creates a new journal file (it must not exist) with its header, durable before this returns. */
    static JournalWriter create(Path file, long generation, long firstSeq) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                writeFully(ch, JournalFormat.fileHeader(generation, firstSeq), 0);
                ch.force(true);
                StateFiles.syncDirectory(file.getParent());
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new JournalWriter(file, ch, firstSeq, JournalFormat.FILE_HEADER_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal " + file, e);
        }
    }

    /** Continues an existing journal whose valid records end at {@code end}. */
    static JournalWriter resume(Path file, long nextSeq, long end) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new JournalWriter(file, ch, nextSeq, end);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file, e);
        }
    }

    /** A written record: its sequence number and the offset after it, to wait on. */
    record Receipt(long seq, long end) {}

    Receipt append(byte[] payload) {
        lock.lock();
        try {
            failIfPoisoned();
            long seq = nextSeq;
            ByteBuffer b = JournalFormat.record(seq, payload);
            try {
                writeFully(channel, b, end);
            } catch (IOException e) {
                failure = e;
                throw new UncheckedIOException("cannot append to journal " + file, e);
            }
            end += b.capacity();
            nextSeq++;
            return new Receipt(seq, end);
        } finally {
            lock.unlock();
        }
    }

    /** Returns once every byte up to {@code offset} is on disk (one fsync serves every waiter). */
    void awaitDurable(long offset) {
        lock.lock();
        try {
            while (durableEnd < offset) {
                failIfPoisoned();
                if (syncing) {
                    synced.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long target = end;
                lock.unlock();
                IOException error = null;
                try {
                    channel.force(false);
                } catch (IOException e) {
                    error = e;
                } finally {
                    lock.lock();
                }
                syncing = false;
                if (error != null) {
                    failure = error;
                } else {
                    durableEnd = Math.max(durableEnd, target);
                }
                synced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes everything written durable (used before the file is closed or rotated away). */
    void sync() {
        lock.lock();
        long target = end;
        lock.unlock();
        awaitDurable(target);
    }

    long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    Path file() {
        return file;
    }

    private void failIfPoisoned() {
        if (failure != null) {
            throw new UncheckedIOException("journal " + file + " failed earlier; restart to recover", failure);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close journal " + file, e);
        }
    }
}
