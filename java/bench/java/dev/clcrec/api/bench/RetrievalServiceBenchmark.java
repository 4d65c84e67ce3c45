package dev.clcrec.api.bench;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.NewItem;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.RetrievalOptions;
import dev.clcrec.api.StateOptions;
import dev.clcrec.engine.Device;
import dev.clcrec.retrieval.Retrieval;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The HNSW graph inside a serving Recommender (not product code):
 * <pre>
 *   service BUNDLE STATE_DIR USERS ADDS
 *   latency BUNDLE STATE_DIR USERS [ROUNDS]  (after service: the graph loaded from STATE_DIR, in-process
 *                                       recommend(user, 10) p50/p99/p99.9 over USERS users, ROUNDS times
 *                                       (default 2), and whether the slowest requests are the same users)
 * </pre>
 * On one bundle: heap of an exact and of an hnsw Recommender (each alone, after a GC); the graph's
 * build time at the first start with a state directory and its load time at the second; recall@10 of
 * the served lists against the exact scan over USERS model users; recommend(user, 10) p50/p99 of both,
 * one thread; then ADDS single-item adds to each (journaled, each with its own state directory) with
 * their p50/p99, and recall again.
 */
public final class RetrievalServiceBenchmark {
    private RetrievalServiceBenchmark() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "service" -> service(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "latency" -> latency(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 2);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void latency(Path bundle, Path state, int users, int rounds) throws Exception {
        try (Recommender hnsw = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state),
                RetrievalOptions.of(Retrieval.HNSW))) {
            if (!hnsw.retrievalInUse().equals("hnsw")) {
                throw new IllegalStateException("no stored graph in " + state + ": run the service mode first");
            }
            int[] sample = new Random(7).ints(users, 0, hnsw.numUsers()).toArray();
            long[] before = null;
            long[] t = null;
            for (int round = 1; round <= rounds; round++) {
                before = t;
                t = latencies(hnsw, sample);
                System.out.printf(Locale.ROOT, "round %d, %d items: recommend(user, 10) through the graph over %d users: p50 %.3f"
                        + " p99 %.3f p99.9 %.3f ms; loadavg %s%n", round, hnsw.catalogSize(), users, pct(t, 0.5),
                        pct(t, 0.99), pct(t, 0.999), Files.readString(Path.of("/proc/loadavg")).trim());
            }
            if (before != null) {
                // Slow because of the query (a long walk) or because of the machine (a lost time slice)?
                long slow = at(t, 0.99);
                long slowBefore = at(before, 0.95);
                int n = 0;
                int again = 0;
                for (int i = 0; i < users; i++) {
                    if (t[i] >= slow) {
                        n++;
                        again += before[i] >= slowBefore ? 1 : 0;
                    }
                }
                System.out.printf(Locale.ROOT, "of the last round's %d slowest 1%% requests, %d were among the slowest 5%% of"
                        + " the round before (the same users: ~5%% if the tail is the machine's, most if it is the queries')%n",
                        n, again);
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void service(Path bundle, Path state, int users, int adds) throws Exception {
        Path twin = state.resolveSibling(state.getFileName() + "-exact"); // both journal their adds
        for (Path dir : List.of(state, twin)) {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
        long base = heapAfterGc();
        long exactHeap;
        try (Recommender exact = Recommender.open(bundle, Device.CPU, 1, RetrievalOptions.of(Retrieval.EXACT))) {
            exactHeap = heapAfterGc() - base;
        }
        RetrievalOptions hnswOptions = RetrievalOptions.of(Retrieval.HNSW);
        long t0 = System.nanoTime();
        long hnswHeap;
        int items;
        try (Recommender hnsw = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state), hnswOptions)) {
            double opened = (System.nanoTime() - t0) / 1e9;
            while (!hnsw.retrievalInUse().equals("hnsw")) {
                Thread.sleep(100);
            }
            double built = (System.nanoTime() - t0) / 1e9;
            items = hnsw.catalogSize();
            hnswHeap = heapAfterGc() - base;
            System.out.printf(Locale.ROOT, "%d items: first start %.1f s to serve (exact meanwhile), %.1f s until the graph"
                    + " was built and stored (%,d bytes on disk)%n", items, opened, built, graphBytes(state));
        }
        System.out.printf(Locale.ROOT, "heap: exact %.0f B/item, hnsw %.0f B/item, the graph's share %.0f B/item%n",
                exactHeap / (double) items, hnswHeap / (double) items, (hnswHeap - exactHeap) / (double) items);
        t0 = System.nanoTime();
        try (Recommender hnsw = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state), hnswOptions);
             Recommender exact = Recommender.open(bundle, Device.CPU, 1, new StateOptions(twin),
                     RetrievalOptions.of(Retrieval.EXACT))) {
            System.out.printf(Locale.ROOT, "second start (graph loaded, and an exact twin opened): %.1f s, retrieval %s%n",
                    (System.nanoTime() - t0) / 1e9, hnsw.retrievalInUse());
            Random r = new Random(7);
            int[] sample = r.ints(users, 0, hnsw.numUsers()).toArray();
            report("before adds", exact, hnsw, sample);
            long[] exactAdds = adds(exact, adds, "added-", new Random(3));
            long[] hnswAdds = adds(hnsw, adds, "added-", new Random(3)); // the same items in both
            System.out.printf(Locale.ROOT, "add one item (journaled with fsync, encoder included): exact p50 %.3f p99 %.3f ms; hnsw"
                    + " p50 %.3f p99 %.3f ms%n", pct(exactAdds, 0.5), pct(exactAdds, 0.99), pct(hnswAdds, 0.5),
                    pct(hnswAdds, 0.99));
            report("after " + adds + " adds", exact, hnsw, sample);
        }
    }

    private static long graphBytes(Path state) throws Exception {
        try (Stream<Path> s = Files.list(state.resolve("index"))) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void report(String when, Recommender exact, Recommender hnsw, int[] users) {
        int found = 0;
        int wanted = 0;
        for (int u : users) {
            Set<String> e = new HashSet<>();
            for (Recommendation x : exact.recommend(u, 10, ItemFilter.ALL)) {
                e.add(x.itemId());
            }
            for (Recommendation x : hnsw.recommend(u, 10, ItemFilter.ALL)) {
                found += e.contains(x.itemId()) ? 1 : 0;
            }
            wanted += e.size();
        }
        long[] te = latencies(exact, users);
        long[] th = latencies(hnsw, users);
        System.out.printf(Locale.ROOT, "%s: recall@10 %.4f over %d users; recommend(user, 10) exact p50 %.3f p99 %.3f ms,"
                + " hnsw p50 %.3f p99 %.3f ms (retrieval %s)%n", when, found / (double) wanted, users.length, pct(te, 0.5),
                pct(te, 0.99), pct(th, 0.5), pct(th, 0.99), hnsw.retrievalInUse());
    }

    private static long[] latencies(Recommender rec, int[] users) {
        for (int i = 0; i < Math.min(users.length, 100); i++) {
            rec.recommend(users[i], 10, ItemFilter.ALL); // warm-up
        }
        long[] t = new long[users.length];
        for (int i = 0; i < users.length; i++) {
            long s = System.nanoTime();
            rec.recommend(users[i], 10, ItemFilter.ALL);
            t[i] = System.nanoTime() - s;
        }
        return t;
    }

    private static long[] adds(Recommender rec, int n, String prefix, Random r) {
        Map<String, Long> widths = rec.modalities();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            java.util.Map<String, float[]> f = new java.util.LinkedHashMap<>();
            widths.forEach((name, w) -> {
                float[] v = new float[Math.toIntExact(w)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) r.nextGaussian();
                }
                f.put(name, v);
            });
            NewItem item = new NewItem(prefix + i, f);
            long s = System.nanoTime();
            rec.addItems(List.of(item));
            t[i] = System.nanoTime() - s;
        }
        return t;
    }

    private static double pct(long[] ns, double p) {
        return at(ns, p) / 1e6;
    }

    /** The {@code p} quantile of {@code ns}, in nanoseconds. */
    private static long at(long[] ns, double p) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
    }
}
