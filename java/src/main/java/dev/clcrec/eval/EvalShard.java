package dev.clcrec.eval;

import java.util.Objects;

/**
 * Which part of the evaluated users this process ranks, and how its metric sums are combined
 * with the other processes' (data-parallel evaluation: users are split into {@code world}
 * contiguous shards, each rank ranks its own, and the sums are all-reduced so every rank gets the
 * metrics over all users).
 *
 * @param rank this process's shard, 0..world-1
 * @param world number of shards
 * @param reducer sums a vector over all ranks, in place
 */
public record EvalShard(int rank, int world, SumReducer reducer) {
    /** Sums values over all ranks, in place; every rank must call it with the same length. */
    @FunctionalInterface
    public interface SumReducer {
        void sumInPlace(double[] values);
    }

    /** One process ranking every user. */
    public static final EvalShard WHOLE = new EvalShard(0, 1, values -> {});

    public EvalShard {
        Objects.requireNonNull(reducer, "reducer");
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " outside 0.." + (world - 1));
        }
    }

    /** First index of this shard among {@code n} ordered items (contiguous, sizes differ by at most 1). */
    public int from(int n) {
        return (int) ((long) n * rank / world);
    }

    /** End (exclusive) of this shard among {@code n} ordered items. */
    public int to(int n) {
        return (int) ((long) n * (rank + 1) / world);
    }
}
