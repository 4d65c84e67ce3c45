package dev.clcrec.sampling;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces an epoch's batches, in order, on a pool of worker threads that run ahead of the
 * consumer (the native training step), into a fixed set of reusable off-heap buffers.
 *
 * <p>Batch {@code i} is filled by worker {@code i mod W} into slot {@code i mod 2W}. Because the
 * number of slots is a multiple of the number of workers, each slot has exactly one producer and one
 * consumer, both visiting it in increasing batch order, so two semaphores per slot are all the
 * synchronisation needed. What a batch holds depends only on (seed, epoch, index): see
 * {@link BatchFiller}.
 *
 * <p>Not thread-safe: one thread calls {@link #runEpoch}. {@link #close()} frees the buffers.
 */
public final class BatchPipeline implements AutoCloseable {
    /** Receives each batch; the batch's memory is only valid during the call. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(Batch batch) throws InterruptedException;
    }

    private final BatchFiller filler;
    private final int numWorkers;
    private final Arena arena;
    private final Batch[] slots;
    private long waitNanos;
    private final AtomicLong workerCpuNanos = new AtomicLong();

    public BatchPipeline(BatchFiller filler) {
        this.filler = filler;
        this.numWorkers = filler.config().numWorkers();
        this.arena = Arena.ofShared();
        this.slots = new Batch[Math.max(1, 2 * numWorkers)];
        for (int s = 0; s < slots.length; s++) {
            slots[s] = new Batch(arena, filler.config());
        }
    }

    public long batchesPerEpoch() {
        return filler.batchesPerEpoch();
    }

    /** Total time the consumer spent waiting for a batch to be ready (the Java share of training). */
    public long waitNanos() {
        return waitNanos;
    }

    /**
     * CPU time the worker threads have used, summed over the epochs run so far (0 without workers,
     * where sampling is in {@link #waitNanos}). On a machine whose cores the native step keeps busy
     * this is CPU the step does not get, whichever thread's clock it shows up on.
     */
    public long workerCpuNanos() {
        return workerCpuNanos.get();
    }

    /** Hands batches {@code firstBatch..} of {@code epoch} to {@code consumer}, in order. */
    public void runEpoch(long epoch, long firstBatch, BatchConsumer consumer) throws InterruptedException {
        int[] order = filler.pairs().epochOrder(filler.config().seed(), epoch);
        long total = filler.batchesPerEpoch();
        if (numWorkers == 0) {
            NegativeSampler.Scratch scratch = filler.sampler().newScratch();
            for (long i = firstBatch; i < total; i++) {
                long t0 = System.nanoTime();
                filler.fill(slots[0], epoch, i, order, scratch);
                waitNanos += System.nanoTime() - t0;
                consumer.accept(slots[0]);
            }
            return;
        }
        int numSlots = slots.length;
        Semaphore[] free = new Semaphore[numSlots];
        Semaphore[] full = new Semaphore[numSlots];
        for (int s = 0; s < numSlots; s++) {
            free[s] = new Semaphore(1);
            full[s] = new Semaphore(0);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>(numWorkers);
        for (int w = 0; w < numWorkers; w++) {
            long first = firstBatch + w;
            Thread t = Thread.ofPlatform().daemon().name("clcrec-sampler-" + w).unstarted(() -> {
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpu0 = threads.getCurrentThreadCpuTime();
                NegativeSampler.Scratch scratch = filler.sampler().newScratch();
                long i = first;
                try {
                    for (; i < total; i += numWorkers) {
                        int slot = (int) (i % numSlots);
                        free[slot].acquire();
                        filler.fill(slots[slot], epoch, i, order, scratch);
                        full[slot].release();
                    }
                } catch (InterruptedException e) {
                    // cancelled by the consumer: nothing to report
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    // wake the consumer, which is (or will be) waiting for this batch
                    full[(int) (i % numSlots)].release();
                } finally {
                    workerCpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
                }
            });
            workers.add(t);
            t.start();
        }
        try {
            for (long i = firstBatch; i < total; i++) {
                int slot = (int) (i % numSlots);
                long t0 = System.nanoTime();
                full[slot].acquire();
                waitNanos += System.nanoTime() - t0;
                Throwable f = failure.get();
                if (f != null) {
                    throw new IllegalStateException("batch sampling failed: " + f.getMessage(), f);
                }
                consumer.accept(slots[slot]);
                free[slot].release();
            }
        } finally {
            for (Thread t : workers) {
                t.interrupt();
            }
            for (Thread t : workers) {
                t.join();
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
