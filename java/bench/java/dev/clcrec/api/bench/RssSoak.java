package dev.clcrec.api.bench;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Native-memory soak: resident set size over N training steps and M recommend calls on the bundled
 * dataset. A leak in the engine (a tensor, an optimizer state or a result buffer kept per call)
 * shows as RSS that keeps climbing after warm-up; a flat curve is the pass. Prints one line per
 * sample: phase, count, RSS, committed Java heap and their difference, in MiB.
 *
 * <p>Usage: RssSoak [data=test-data] [steps=10000] [calls=100000] [threads=1]
 */
public final class RssSoak {
    private RssSoak() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "test-data");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int batch = 256;
        int numNeg = 32;
        int group = 1 + numNeg;
        int rows = batch * group;
        int hybrid = rows / 2;
        Path ckpt = Files.createTempFile("rss-soak", ".ckpt");
        try (Dataset data = Datasets.open(dataDir); Arena arena = Arena.ofConfined()) {
            ModelConfig config = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem())
                    .withDimE(32).withDevice(Device.CPU).withNumThreads(threads).withSeed(1);
            SplittableRandom random = new SplittableRandom(3);
            MemorySegment users = arena.allocate(ValueLayout.JAVA_LONG, batch);
            MemorySegment items = arena.allocate(ValueLayout.JAVA_LONG, rows);
            MemorySegment hybridRows = arena.allocate(ValueLayout.JAVA_LONG, hybrid);
            System.out.printf("phase,count,rss_mib,java_heap_committed_mib,rss_minus_heap_mib%n");
            print("start", 0);
            try (ClcrecModel model = ClcrecModel.create(config, data.content())) {
                for (int s = 1; s <= steps; s++) {
                    // fresh batch contents every step, as the sampler produces them
                    for (int i = 0; i < batch; i++) {
                        users.setAtIndex(ValueLayout.JAVA_LONG, i, random.nextLong(data.numUser()));
                    }
                    for (int r = 0; r < rows; r++) {
                        items.setAtIndex(ValueLayout.JAVA_LONG, r, random.nextLong(data.numWarmItem()));
                    }
                    for (int h = 0; h < hybrid; h++) {
                        hybridRows.setAtIndex(ValueLayout.JAVA_LONG, h, random.nextLong(rows));
                    }
                    model.trainStep(users, batch, items, group, hybridRows, hybrid);
                    if (s % 500 == 0) {
                        print("train_steps", s);
                    }
                }
                model.save(ckpt);
            }
            try (Recommender rec = Recommender.load(ckpt, data, data.content(), Device.CPU, threads)) {
                ItemFilter[] filters = ItemFilter.values();
                long checksum = 0;
                for (int c = 1; c <= calls; c++) {
                    int user = random.nextInt(data.numUser());
                    checksum += rec.recommend(user, 10, filters[c % filters.length]).size();
                    if (c % 5000 == 0) {
                        print("recommend_calls", c);
                    }
                }
                System.out.printf("# %d recommendations returned%n", checksum);
            }
        } finally {
            Files.deleteIfExists(ckpt);
        }
    }

    /**
     * RSS includes the Java heap, which G1 grows in steps as it sees fit, so a step in RSS that
     * coincides with a step in committed heap is the JVM's, not the engine's. (Committed heap is not
     * all resident, so the difference column is only a trend indicator and can be negative.)
     */
    private static void print(String phase, long count) throws IOException {
        double rss = rssKib() / 1024.0;
        double heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()
                / 1048576.0;
        System.out.printf("%s,%d,%.1f,%.1f,%.1f%n", phase, count, rss, heap, rss - heap);
        System.out.flush();
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
            }
        }
        return -1;
    }
}
