package dev.clcrec.tune;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.Metric;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.eval.SettingMetrics;
import dev.clcrec.train.EpochRecord;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.RunSummary;
import dev.clcrec.train.StopReason;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingResult;
import dev.clcrec.train.TrainingRun;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Seeded random search over a {@link SearchSpace} with {@link SuccessiveHalving} stopping poor
 * trials, a budget in trials and minutes, and trials in parallel. Each finished trial goes to the
 * {@link Leaderboard} on disk at once, so a killed search resumes where it was: finished trials are
 * kept, unfinished ones and those cut by the time budget are run again (same values, same seed).
 * Only validation metrics are kept.
 */
public final class HyperparameterSearch {
    private static final System.Logger LOG = System.getLogger(HyperparameterSearch.class.getName());

    private HyperparameterSearch() {}

    /**
     * What to search.
     *
     * @param base the training every trial starts from (its selection, checkpoints and time limit are replaced)
     * @param maxTrials trials in all, counting those of a resumed leaderboard
     * @param maxMinutes no trial starts after this many minutes of this session, and running ones
     *                   stop then (marked as cut); 0 = no limit
     * @param parallel trials at once, 1 .. cores
     * @param minEpochs the first rung of successive halving
     * @param eta the reduction factor of successive halving
     * @param seed the seed the trials' values are drawn with (each trial trains with base's seed)
     * @param outDir the leaderboard and each trial's best checkpoint ({@code trials/<index>/best.ckpt})
     */
    public record Settings(RunConfig base, SearchSpace space, SelectionCriterion selection, int maxTrials,
                           double maxMinutes, int parallel, int minEpochs, int eta, long seed, Path outDir) {
        public Settings {
            if (maxTrials < 1) {
                throw new IllegalArgumentException("the trial budget must be >= 1, got " + maxTrials);
            }
            if (!(maxMinutes >= 0) || Double.isInfinite(maxMinutes)) {
                throw new IllegalArgumentException("the time budget must be >= 0 minutes, got " + maxMinutes);
            }
            int cores = Runtime.getRuntime().availableProcessors();
            if (parallel < 1 || parallel > cores) {
                throw new IllegalArgumentException("parallel trials must be between 1 and the " + cores
                        + " cores, got " + parallel);
            }
            if (selection.split() != Split.VAL) {
                throw new IllegalArgumentException("a search selects on validation metrics only (test metrics are "
                        + "for the final choice), got " + selection);
            }
            if (base.resumeFrom() != null) {
                throw new IllegalArgumentException("a search trains every trial from scratch; it cannot resume a "
                        + "checkpoint");
            }
            new SuccessiveHalving(minEpochs, eta); // validates both
        }

        /** LibTorch threads per trial: base's, or the cores shared out when base says "all". */
        public int threadsPerTrial() {
            int t = base.model().numThreads();
            return t > 0 ? t : Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
        }

        /** What identifies this search in its leaderboard (a resume must match it). */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed);
            m.put("selection", selection.toString());
            m.put("space", space.describe());
            m.put("min_epochs", minEpochs);
            m.put("eta", eta);
            m.put("threads", threadsPerTrial());
            m.put("base", base.sampling().toString() + " " + base.model().withNumThreads(threadsPerTrial())
                    + " " + base.options().numEpoch() + " epochs, patience " + base.options().patience()
                    + ", ks " + java.util.Arrays.toString(base.ks()) + ", step " + base.evalBlock());
            return m;
        }
    }

    /** Trial {@code index}'s training configuration, as {@code train} with its values would build it. */
    public static RunConfig trialConfig(Settings s, Map<String, Double> params) {
        RunConfig c = s.base();
        for (Map.Entry<String, Double> e : params.entrySet()) {
            c = TunedParameter.of(e.getKey()).apply(c, e.getValue());
        }
        return c.withModel(c.model().withNumThreads(s.threadsPerTrial()))
                .withOptions(c.options().withSelection(s.selection()));
    }

    public static Path trialDir(Path outDir, int index) {
        return outDir.resolve("trials").resolve(Integer.toString(index));
    }

    /**
     * Runs (or resumes) the search.
     *
     * @param onTrial called with each finished trial, on the thread that ran it (may be null)
     * @return the leaderboard with every trial of this search so far
     */
    public static Leaderboard run(Dataset data, ContentFeatures content, Settings s, Consumer<Trial> onTrial)
            throws InterruptedException {
        Leaderboard board = Leaderboard.openOrCreate(s.outDir(), s.describe(), s.space(), s.seed());
        SuccessiveHalving halving = new SuccessiveHalving(s.minEpochs(), s.eta());
        // A trial cut by an earlier session's time budget says nothing about its values: run it again.
        for (Trial t : board.trials()) {
            if (t.status() != TrialStatus.TIME_LIMIT) {
                halving.replay(t.curve());
            }
        }
        Set<Integer> done = board.trials().stream().filter(t -> t.status() != TrialStatus.TIME_LIMIT)
                .map(Trial::index).collect(Collectors.toSet());
        if (!done.isEmpty()) {
            LOG.log(Level.INFO, "resuming the search in {0}: {1} trials already on its leaderboard", s.outDir(),
                    done.size());
        }
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < s.maxTrials(); i++) {
            if (!done.contains(i)) {
                todo.add(i);
            }
        }
        long deadline = s.maxMinutes() > 0 ? System.nanoTime() + (long) (s.maxMinutes() * 60e9) : Long.MAX_VALUE;
        String valueName = s.selection().toString();
        Leaderboard[] current = {board};
        ExecutorService pool = Executors.newFixedThreadPool(s.parallel(), r -> {
            Thread t = new Thread(r, "clcrec-trial");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Trial> cs = new ExecutorCompletionService<>(pool);
        try {
            int next = 0;
            int running = 0;
            while (true) {
                while (running < s.parallel() && next < todo.size() && System.nanoTime() < deadline) {
                    int index = todo.get(next++);
                    cs.submit(() -> runTrial(data, content, s, index, halving, deadline));
                    running++;
                }
                if (running == 0) {
                    break;
                }
                Trial t;
                try {
                    t = cs.take().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
                running--;
                synchronized (current) {
                    current[0] = current[0].with(t);
                    current[0].write(s.outDir(), valueName);
                }
                if (onTrial != null) {
                    onTrial.accept(t);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return current[0];
    }

    private static Trial runTrial(Dataset data, ContentFeatures content, Settings s, int index,
                                  SuccessiveHalving halving, long deadline) throws InterruptedException {
        Map<String, Double> params = s.space().sample(s.seed(), index);
        List<Double> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        double remaining = deadline == Long.MAX_VALUE ? 0 : Math.max(1e-3, (deadline - t0) / 1e9);
        RunConfig c;
        TrainingResult result;
        try {
            c = trialConfig(s, params);
            Path dir = trialDir(s.outDir(), index);
            c = c.withOptions(c.options().withCheckpoints(dir.resolve("best.ckpt"), null).withMaxSeconds(remaining));
            TrainingListener listener = new TrainingListener() {
                @Override
                public String stopAfter(EpochRecord record, double bestValue) {
                    curve.add(bestValue);
                    return halving.arrive(curve.size(), bestValue);
                }
            };
            TrainingRun.Outcome o = TrainingRun.execute(data, content, c, listener);
            o.model().close();
            result = o.result();
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException
                 | dev.clcrec.engine.ClcrecException e) {
            LOG.log(Level.WARNING, "trial {0} failed: {1}", index, e.getMessage());
            return new Trial(index, params, TrialStatus.FAILED, null, -1, curve.size(), curve, Map.of(),
                    s.threadsPerTrial(), (System.nanoTime() - t0) / 1e9, String.valueOf(e.getMessage()));
        }
        TrialStatus status = statusOf(result.reason());
        Double value = result.best() == null ? null : s.selection().value(result.best().eval());
        Map<String, Double> validation = new LinkedHashMap<>();
        if (result.best() != null) {
            for (SettingMetrics m : result.best().eval().entries()) {
                if (m.split() != Split.VAL) {
                    continue;
                }
                for (int k : m.atK().keySet()) {
                    for (Metric metric : Metric.values()) {
                        validation.put(RunSummary.key(m, metric, k), m.at(k).get(metric));
                    }
                }
            }
        }
        Trial t = new Trial(index, params, status, value, result.best() == null ? -1 : result.best().epoch(),
                result.history().size(), curve, validation, s.threadsPerTrial(), (System.nanoTime() - t0) / 1e9,
                result.message());
        LOG.log(Level.INFO, "trial {0} {1}: {2} = {3} ({4})", index, status, s.selection(), value, params);
        return t;
    }

    static TrialStatus statusOf(StopReason r) {
        return switch (r) {
            case NO_IMPROVEMENT, EPOCH_LIMIT -> TrialStatus.COMPLETED;
            case PRUNED -> TrialStatus.PRUNED;
            case TIME_LIMIT -> TrialStatus.TIME_LIMIT;
            case NON_FINITE_LOSS -> TrialStatus.FAILED;
        };
    }
}
