package dev.clcrec.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import dev.clcrec.ffi.clcrec_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;

/**
 * A membership in a data-parallel process group (LibTorch's c10d: Gloo for CPU models, NCCL for
 * CUDA models), joined through the rendezvous store that rank 0 serves on {@code master:port}.
 *
 * <p>Every collective (including those a joined model's training step issues) must be called by
 * every rank in the same order; a lost rank or a timeout fails with a {@link ClcrecException} of
 * status {@link ClcrecException#DISTRIBUTED} whose message names the rank, never a hang past the
 * timeout. Not thread-safe: one thread drives the collectives. Close it when done.
 */
public final class ProcessGroup implements AutoCloseable {
    /** Which c10d backend carries the collectives. */
    public enum Backend {
        GLOO, NCCL;

        /** The backend for a model on this device (NCCL for CUDA, Gloo otherwise). */
        public static Backend forDevice(String device) {
            return device.startsWith("cuda") ? NCCL : GLOO;
        }
    }

    private MemorySegment pointer;
    private final int rank;
    private final int size;

    private ProcessGroup(MemorySegment pointer, int rank, int size) {
        this.pointer = pointer;
        this.rank = rank;
        this.size = size;
    }

    /**
     * Joins (blocks until every rank has joined, or fails after {@code timeout}).
     *
     * @param deviceIndex the CUDA device of the NCCL backend (ignored by Gloo)
     */
    public static ProcessGroup join(String masterAddr, int masterPort, int worldSize, int rank, Backend backend,
                                    int deviceIndex, Duration timeout) {
        Objects.requireNonNull(masterAddr, "masterAddr");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timeout, "timeout");
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int code = backend == Backend.NCCL ? clcrec_h.CLCREC_BACKEND_NCCL() : clcrec_h.CLCREC_BACKEND_GLOO();
            Status.check(clcrec_h.clcrec_group_create(arena.allocateFrom(masterAddr), masterPort, worldSize, rank, code,
                    deviceIndex, Math.max(1, timeout.toMillis()), out), "joining the process group");
            return new ProcessGroup(out.get(ADDRESS, 0), rank, worldSize);
        }
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** Returns when every rank has reached it. */
    public void barrier() {
        Status.check(clcrec_h.clcrec_group_barrier(live()), "barrier");
    }

    /** Sums {@code values} over all ranks, in place (every rank gets the same sums). */
    public void allReduceSum(double[] values) {
        if (values.length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocateFrom(JAVA_DOUBLE, values);
            Status.check(clcrec_h.clcrec_group_all_reduce_sum(live(), seg, values.length), "all-reduce");
            MemorySegment.copy(seg, JAVA_DOUBLE, 0, values, 0, values.length);
        }
    }

    MemorySegment live() {
        if (pointer == null) {
            throw new IllegalStateException("ProcessGroup is closed");
        }
        return pointer;
    }

    /** Leaves the group; idempotent. A model joined to it keeps its own connection until it is closed. */
    @Override
    public void close() {
        if (pointer != null) {
            clcrec_h.clcrec_group_free(pointer);
            pointer = null;
        }
    }
}
