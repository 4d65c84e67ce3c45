package dev.clcrec.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches what the graph costs in accuracy while serving: at most one request a second that went
 * through the graph is answered again by the exact scan, on a thread of its own, and the share of the
 * scan's items the graph had found is averaged. The graph's recall depends on the model (99.5 % of the
 * exact top 10 on a trained MovieLens model, 15 - 36 % on untrained random vectors, BENCHMARKS.md), so
 * a service must be able to see it: {@link Recommender#retrievalRecall()}, {@code GET /health},
 * {@code clcrec_retrieval_recall}, and a warning in the log when it falls below {@value #WARN_BELOW}.
 */
final class RecallMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RecallMonitor.class.getName());
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    /** Samples averaged: about the last minutes of traffic at one sample a second. */
    private static final int WINDOW = 256;
    static final double WARN_BELOW = 0.9;

    private final ThreadPoolExecutor checker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "clcrec-recall-check");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy()); // busy: the sample is simply not taken
    private final AtomicLong nextSample = new AtomicLong(System.nanoTime());
    private final double[] window = new double[WINDOW];   // guarded by this
    private int samples;                                  // guarded by this
    private boolean warned;                               // guarded by this

    /**
     * Offers a request answered through the graph: when a sample is due, {@code exact} (the same
     * request through the scan) is run on the checker thread and compared with {@code served}.
     */
    void offer(List<Recommendation> served, java.util.function.Supplier<List<Recommendation>> exact) {
        long now = System.nanoTime();
        long due = nextSample.get();
        if (now - due < 0 || !nextSample.compareAndSet(due, now + INTERVAL_NANOS)) {
            return;
        }
        checker.execute(() -> record(served, exact.get()));
    }

    private void record(List<Recommendation> served, List<Recommendation> exact) {
        if (exact.isEmpty()) {
            return;
        }
        Set<String> want = new HashSet<>();
        exact.forEach(r -> want.add(r.itemId()));
        int found = 0;
        for (Recommendation r : served) {
            found += want.contains(r.itemId()) ? 1 : 0;
        }
        double recall = found / (double) want.size();
        synchronized (this) {
            window[samples % WINDOW] = recall;
            samples++;
            double mean = mean();
            if (samples >= 30 && mean < WARN_BELOW && !warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, String.format(java.util.Locale.ROOT, "the HNSW graph finds %.0f%% of"
                        + " the exact top items over the last %d sampled requests; a wider --ef-search or --retrieval exact"
                        + " gives exact lists", 100 * mean, Math.min(samples, WINDOW)));
            } else if (mean >= WARN_BELOW) {
                warned = false;
            }
        }
    }

    private double mean() {
        int n = Math.min(samples, WINDOW);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += window[i];
        }
        return sum / n;
    }

    /** The mean recall of the last sampled requests against the exact scan, or NaN before any sample. */
    synchronized double recall() {
        return samples == 0 ? Double.NaN : mean();
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
