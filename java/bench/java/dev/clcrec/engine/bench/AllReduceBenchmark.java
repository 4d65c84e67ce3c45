package dev.clcrec.engine.bench;

import dev.clcrec.engine.ProcessGroup;
import java.time.Duration;
import java.util.Arrays;

/**
 * Times a Gloo all-reduce of BYTES bytes (as float64 values) between the ranks of a group: the cost
 * of the dense gradient exchange of one step, whose bucket at the MovieLens shape is the id table's
 * gradient plus the encoder's (about 18 MB of float32). Run one process per rank.
 *
 * <p>Usage: AllReduceBenchmark RANK WORLD PORT BYTES [iterations=20]
 */
public final class AllReduceBenchmark {
    private AllReduceBenchmark() {}

    public static void main(String[] args) {
        int rank = Integer.parseInt(args[0]);
        int world = Integer.parseInt(args[1]);
        int port = Integer.parseInt(args[2]);
        long bytes = Long.parseLong(args[3]);
        int iterations = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        double[] values = new double[Math.toIntExact(bytes / 8)];
        Arrays.fill(values, 1.0);
        try (ProcessGroup group = ProcessGroup.join("127.0.0.1", port, world, rank, ProcessGroup.Backend.GLOO, 0,
                Duration.ofSeconds(120))) {
            group.allReduceSum(values); // warm-up: connections and buffers
            long[] nanos = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                group.barrier();
                long t0 = System.nanoTime();
                group.allReduceSum(values);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            if (rank == 0) {
                System.out.printf("all-reduce of %d bytes over %d ranks: median %.2f ms, p10 %.2f, p90 %.2f%n", bytes,
                        world, nanos[iterations / 2] / 1e6, nanos[iterations / 10] / 1e6,
                        nanos[(iterations * 9) / 10] / 1e6);
            }
        }
    }
}
