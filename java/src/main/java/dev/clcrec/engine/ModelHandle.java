package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_h;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Owns one native {@code clcrec_model*} and makes freeing it safe.
 *
 * <p>Every use holds the read lock (so uses run concurrently, as the header allows) and close takes
 * the write lock, so the model is never freed while a call on another thread is still inside native
 * code, and any use after close fails with IllegalStateException instead of touching freed memory.
 * It is also the Cleaner's action: it must not reference the ClcrecModel, or the model would never
 * become unreachable.
 */
final class ModelHandle implements Runnable {
    private static final System.Logger LOG = System.getLogger(ModelHandle.class.getName());

    private final MemorySegment pointer;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean freed; // guarded by the write lock

    ModelHandle(MemorySegment pointer) {
        this.pointer = pointer;
    }

    /** A held read lock on a live model; close it to release. */
    final class Lease implements AutoCloseable {
        MemorySegment pointer() {
            return pointer;
        }

        @Override
        public void close() {
            lock.readLock().unlock();
        }
    }

    /** Locks the model for one call; throws if it has been closed. */
    Lease acquire(String operation) {
        lock.readLock().lock();
        if (freed) {
            lock.readLock().unlock();
            throw new IllegalStateException("ClcrecModel is closed (" + operation + ")");
        }
        return new Lease();
    }

    /** Frees the native model once; later calls do nothing. */
    void free() {
        lock.writeLock().lock();
        try {
            if (!freed) {
                freed = true;
                clcrec_h.clcrec_model_free(pointer);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Cleaner action: only reached for a model that was never closed. */
    @Override
    public void run() {
        boolean leaked;
        lock.writeLock().lock();
        try {
            leaked = !freed;
        } finally {
            lock.writeLock().unlock();
        }
        if (leaked) {
            LOG.log(System.Logger.Level.WARNING, "a ClcrecModel was garbage-collected without close(); freeing it now");
        }
        free();
    }
}
