package dev.clcrec.api;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.RunSummary;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingResult;
import dev.clcrec.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * N trainings of one configuration with seeds {@code seed .. seed+N-1}, each in its own directory,
 * and the mean ± std of every metric at each run's selected epoch: how much a number moves between
 * seeds. Runs go one after another, or {@code parallel} at a time on threads of this JVM (each run
 * owns its model and evaluator; LibTorch's thread count is process-wide, so every run uses the same).
 */
public final class RepeatedTraining {
    private RepeatedTraining() {}

    /** One run: its seed, where its checkpoints went, and what training did. */
    public record Run(long seed, Path dir, TrainingResult result) {}

    /** Every run in seed order, and their summary (null when no run finished an epoch). */
    public record Outcome(List<Run> runs, RunSummary summary) {}

    /**
     * @param base the configuration of the first run (its seed is the first seed; its checkpoint
     *             paths are replaced by {@code <outDir>/run-<seed>/best.ckpt} and {@code last.ckpt})
     * @param listeners a listener per run's seed (may return null)
     */
    public static Outcome run(Dataset data, ContentFeatures content, RunConfig base, int runs, int parallel,
                              Path outDir, LongFunction<TrainingListener> listeners) throws InterruptedException {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (parallel < 1 || parallel > Math.min(runs, cores)) {
            throw new IllegalArgumentException("parallel must be between 1 and min(runs, cores) = "
                    + Math.min(runs, cores) + ", got " + parallel);
        }
        if (base.resumeFrom() != null) {
            throw new IllegalArgumentException("repeated runs start from scratch; they cannot resume a checkpoint");
        }
        RunConfig shared = base;
        if (parallel > 1 && base.model().numThreads() == 0) {
            shared = base.withModel(base.model().withNumThreads(Math.max(1, cores / parallel)));
        }
        long seed0 = base.model().seed();
        List<RunConfig> configs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long seed = seed0 + i;
            Path dir = runDir(outDir, seed);
            configs.add(shared.withSeed(seed).withOptions(
                    shared.options().withCheckpoints(dir.resolve("best.ckpt"), dir.resolve("last.ckpt"))));
        }
        List<Run> done = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "clcrec-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Run>> futures = new ArrayList<>();
            for (RunConfig c : configs) {
                long seed = c.model().seed();
                futures.add(pool.submit(() -> {
                    TrainingListener l = listeners == null ? null : listeners.apply(seed);
                    TrainingRun.Outcome o = TrainingRun.execute(data, content, c, l);
                    o.model().close();
                    return new Run(seed, runDir(outDir, seed), o.result());
                }));
            }
            for (Future<Run> f : futures) {
                done.add(f.get());
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
        boolean all = done.stream().allMatch(r -> r.result().best() != null);
        RunSummary summary = all ? RunSummary.of(done.stream().map(r -> r.result().best().eval()).toList()) : null;
        return new Outcome(List.copyOf(done), summary);
    }

    /** The directory of the run with this seed. */
    public static Path runDir(Path outDir, long seed) {
        return outDir.resolve("run-seed" + seed);
    }
}
