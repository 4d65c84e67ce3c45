package dev.clcrec.api.bench;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.NewItem;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.StateOptions;
import dev.clcrec.bundle.BundleWriter;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.synthetic.SyntheticConfig;
import dev.clcrec.data.synthetic.SyntheticGenerator;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.retrieval.ClusteredVectors;
import dev.clcrec.state.Interaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Live-state benchmarks (not product code):
 * <pre>
 *   bundle ITEMS OUT            a synthetic catalog of ITEMS items (2,000 users, one 32-wide modality, dim 64)
 *                               and an untrained bundle over it at OUT (latency does not depend on the weights)
 *   clustered ITEMS USERS OUT   the same shape (2 % cold items, USERS users), its id embeddings replaced by
 *                               {@link ClusteredVectors}: ranking vectors with the structure a trained model's
 *                               have, for the graph's latency and recall (random vectors have none)
 *   adds BUNDLE N STATE_DIR     add-one-item latency, N adds: in memory (no journal) and journaled with fsync
 *   writes BUNDLE STATE_DIR S   journaled interaction writes/s with 1 and 64 concurrent writers, S seconds each
 *   restart BUNDLE STATE_DIR N  journal N records (1 interaction each, no snapshot), then time a reopen
 *   churn BUNDLE STATE_DIR S    recommend(user, 10) p50/p99 with 1 reader while 100 items/s are added (journaled)
 * </pre>
 */
public final class StateBenchmark {
    private StateBenchmark() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "bundle" -> bundle(Integer.parseInt(args[1]), Path.of(args[2]));
            case "clustered" -> clustered(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "adds" -> adds(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "writes" -> writes(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "restart" -> restart(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "churn" -> churn(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void bundle(int items, Path out) throws Exception {
        writeBundle(items, 2000, 0.2, out, m -> { });
    }

    private static void clustered(int items, int users, Path out) throws Exception {
        writeBundle(items, users, 0.02, out, m -> {
            // id_embedding holds the users' rows, then the items'; warm items rank by their id rows
            int dim = m.config().dimE();
            ClusteredVectors space = new ClusteredVectors(dim, 1);
            int numUser = Math.toIntExact(m.config().numUser());
            int numItem = Math.toIntExact(m.config().numItem());
            float[] table = new float[Math.multiplyExact(numUser + numItem, dim)];
            for (int u = 0; u < numUser; u++) {
                System.arraycopy(space.user(u), 0, table, u * dim, dim);
            }
            for (int i = 0; i < numItem; i++) {
                System.arraycopy(space.item(i), 0, table, (numUser + i) * dim, dim);
            }
            m.setParameter("id_embedding", table);
        });
    }

    private static void writeBundle(int items, int numUsers, double coldFraction, Path out,
                                    java.util.function.Consumer<ClcrecModel> weights) throws Exception {
        Path data = out.resolveSibling(out.getFileName() + "-data");
        if (!Files.exists(data.resolve("manifest.json"))) {
            SyntheticGenerator.write(new SyntheticConfig("state-bench-" + items, numUsers, items, coldFraction, 16,
                    List.of(new SyntheticConfig.Modality("v", 32, 0.5)), Math.max(5, items / 2000.0), 3, 2.5, 1), data);
        }
        try (Dataset d = Datasets.open(data)) {
            ModelConfig c = ModelConfig.defaults(d.numUser(), d.numItem(), d.numWarmItem()).withDimE(64)
                    .withDevice(Device.CPU).withNumThreads(2);
            try (ClcrecModel m = ClcrecModel.create(c, d.content())) {
                weights.accept(m);
                List<String> users = d.ids().map(IdMapping::userIds)
                        .orElseGet(() -> IntStream.range(0, d.numUser()).mapToObj(Integer::toString).toList());
                List<String> ids = d.ids().map(IdMapping::itemIds)
                        .orElseGet(() -> IntStream.range(0, d.numItem()).mapToObj(Integer::toString).toList());
                BundleWriter.write(out, m, d.content(), d.name(), users, ids, d.train());
            }
        }
        System.out.println("wrote " + out + " with " + items + " items");
    }

    private static NewItem item(String id, Random r) {
        float[] v = new float[32];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new NewItem(id, Map.of("v", v));
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void adds(Path bundle, int n, Path stateDir) throws Exception {
        for (boolean durable : new boolean[] {false, true}) {
            deleteTree(stateDir);
            try (Recommender rec = durable ? Recommender.open(bundle, Device.CPU, 1, new StateOptions(stateDir))
                    : Recommender.open(bundle, Device.CPU, 1)) {
                Random r = new Random(1);
                for (int i = 0; i < 2000; i++) { // warm-up
                    rec.addItems(List.of(item("warm-" + i, r)));
                }
                long[] lat = new long[n];
                for (int i = 0; i < n; i++) {
                    NewItem it = item("add-" + i, r);
                    long t0 = System.nanoTime();
                    rec.addItems(List.of(it));
                    lat[i] = System.nanoTime() - t0;
                }
                Arrays.sort(lat);
                System.out.printf(Locale.ROOT, "add one item, %s, catalog %d: %d adds, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                        durable ? "journaled (fsync)" : "in memory", rec.catalogSize(), n, pct(lat, 0.5), pct(lat, 0.99),
                        lat[n - 1] / 1e6);
            }
        }
    }

    private static void writes(Path bundle, Path stateDir, int seconds) throws Exception {
        deleteTree(stateDir);
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(stateDir))) {
            String item = rec.recommend("u0", 1, ItemFilter.ALL).getFirst().itemId();
            for (int writers : new int[] {1, 64}) {
                AtomicLong done = new AtomicLong();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                List<Thread> ts = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int id = w;
                    ts.add(Thread.ofVirtual().start(() -> {
                        long i = 0;
                        while (System.nanoTime() < end) {
                            rec.recordInteractions(List.of(new Interaction("writer-" + id, item, i++)));
                            done.incrementAndGet();
                        }
                    }));
                }
                for (Thread t : ts) {
                    t.join();
                }
                System.out.printf(Locale.ROOT, "journaled interaction writes, %d concurrent writer(s): %.0f writes/s"
                        + " (each acknowledged after fsync)%n", writers, done.get() / (double) seconds);
            }
        }
    }

    private static void restart(Path bundle, Path stateDir, int n) throws Exception {
        deleteTree(stateDir);
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(stateDir, Long.MAX_VALUE))) {
            String item = rec.recommend("u0", 1, ItemFilter.ALL).getFirst().itemId();
            List<Thread> ts = new ArrayList<>();
            AtomicLong next = new AtomicLong();
            for (int w = 0; w < 64; w++) {
                ts.add(Thread.ofVirtual().start(() -> {
                    for (long i; (i = next.getAndIncrement()) < n; ) {
                        rec.recordInteractions(List.of(new Interaction("user-" + (i % 5000), item, i)));
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        long t0 = System.nanoTime();
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(stateDir, Long.MAX_VALUE))) {
            double all = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "reopen with %d journaled records: %.2f s (bundle load + replay); %d users%n",
                    n, all, rec.usersWithRecordedInteractions());
        }
        long t1 = System.nanoTime();
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1)) {
            System.out.printf(Locale.ROOT, "  the bundle alone: %.2f s%n", (System.nanoTime() - t1) / 1e9);
        }
    }

    private static void churn(Path bundle, Path stateDir, int seconds) throws Exception {
        deleteTree(stateDir);
        try (Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(stateDir))) {
            int users = rec.numUsers();
            Random r = new Random(2);
            for (int i = 0; i < 20_000; i++) { // JIT warm-up
                rec.recommend(r.nextInt(users), 10, ItemFilter.ALL);
            }
            for (boolean adding : new boolean[] {false, true}) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread adder = Thread.ofPlatform().start(() -> {
                    Random ar = new Random(3);
                    long next = System.nanoTime();
                    int i = 0;
                    while (adding && !stop.get()) {
                        rec.addItems(List.of(item("churn-" + i++, ar)));
                        next += 10_000_000L; // 100 items a second
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                });
                long[] lat = new long[4_000_000];
                int m = 0;
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                while (m < lat.length) {
                    long s = System.nanoTime();
                    if (s > end) {
                        break;
                    }
                    rec.recommend(r.nextInt(users), 10, ItemFilter.ALL);
                    lat[m++] = System.nanoTime() - s;
                }
                stop.set(true);
                adder.join();
                long[] all = Arrays.copyOf(lat, m);
                Arrays.sort(all);
                System.out.printf(Locale.ROOT, "recommend(user, 10), %s, catalog %d: %d calls, p50 %.3f ms, p99 %.3f ms%n",
                        adding ? "while adding 100 items/s (journaled)" : "idle", rec.catalogSize(), m, pct(all, 0.5),
                        pct(all, 0.99));
            }
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
