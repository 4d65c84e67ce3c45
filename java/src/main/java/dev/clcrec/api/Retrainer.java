package dev.clcrec.api;

import dev.clcrec.bundle.BundleManifest;
import dev.clcrec.bundle.BundleReader;
import dev.clcrec.bundle.BundleWriter;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.state.Interaction;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainOptions;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one owner of retraining in a serving process: builds the training set from the bundle in force
 * and the live state ({@link RetrainData}), trains a candidate in the calling (or scheduled) thread
 * with its own thread cap, judges it against the serving model on the newest interactions
 * ({@link RetrainGate}), and either swaps it in (written as a complete bundle under
 * {@code DIR/models/}, named in force by {@link ModelHistory}, then reloaded the way
 * {@link Recommender#reload} does) or keeps it aside with the reason. One retrain or rollback at a
 * time; recommendations and recorded interactions are never blocked by it (the swap takes the
 * catalog's write lock for as long as a reload does).
 */
final class Retrainer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Retrainer.class.getName());

    private final LiveState live;
    private final ModelHistory history;
    private final Function<Path, ServingModel> loader;
    private final ReentrantLock running = new ReentrantLock();
    private final List<Consumer<RetrainOutcome>> listeners = new CopyOnWriteArrayList<>();
    private volatile RetrainOptions options = RetrainOptions.defaults();
    private volatile Path bundle;            // the bundle the serving model came from
    private volatile Instant modelSince = Instant.now();
    private ScheduledExecutorService schedule;

    Retrainer(LiveState live, ModelHistory history, Path bundleInForce, Function<Path, ServingModel> loader) {
        this.live = live;
        this.history = history;
        this.bundle = bundleInForce;
        this.loader = loader;
    }

    synchronized void configure(RetrainOptions o) {
        this.options = o;
        history.keep(o.keep());
        if (schedule != null) {
            schedule.shutdownNow();
            schedule = null;
        }
        if (o.every() != null) {
            schedule = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "clcrec-retrain");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
            long ms = o.every().toMillis();
            schedule.scheduleWithFixedDelay(() -> {
                try {
                    retrain("schedule");
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "scheduled retrain failed", e);
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    RetrainOptions options() {
        return options;
    }

    void addListener(Consumer<RetrainOutcome> l) {
        listeners.add(l);
    }

    Instant modelSince() {
        return modelSince;
    }

    /** A bundle reloaded from outside (an operator's reload): the next retrain starts from it. */
    void reloaded(Path b) {
        bundle = b;
        modelSince = Instant.now();
    }

    boolean running() {
        return running.isLocked();
    }

    /** Interactions recorded and not yet trained on. */
    int newInteractions() {
        LiveState.View v = live.view();
        return RetrainData.fresh(v.catalog(), v.interactions()).size();
    }

    RetrainOutcome retrain(String trigger) {
        long t0 = System.nanoTime();
        if (!running.tryLock()) {
            return report(RetrainOutcome.simple(RetrainOutcome.Outcome.BUSY, "another retrain or rollback is running",
                    trigger, live.catalog().model.version, 0));
        }
        try {
            return report(retrainLocked(trigger, options, t0));
        } finally {
            running.unlock();
        }
    }

    private RetrainOutcome retrainLocked(String trigger, RetrainOptions o, long t0) {
        LiveState.View v = live.view();
        Catalog c = v.catalog();
        String from = c.model.version;
        List<Interaction> fresh = RetrainData.fresh(c, v.interactions());
        if (fresh.isEmpty() || fresh.size() < o.minInteractions()) {
            return RetrainOutcome.simple(RetrainOutcome.Outcome.SKIPPED, fresh.size() + " new interaction(s), fewer than"
                    + " the " + Math.max(1, o.minInteractions()) + " a retrain needs", trigger, from, secs(t0));
        }
        SelectionCriterion crit = new SelectionCriterion(Split.VAL, o.selection().setting(), o.selection().metric(),
                o.selection().k());
        String critName = "holdout " + crit.setting().name().toLowerCase(Locale.ROOT) + " " + crit.metric() + "@"
                + crit.k();
        Path work = history.directory().resolve(".work");
        Path candidateDir = null;
        try (Arena arena = Arena.ofConfined()) {
            ContentFeatures content = BundleReader.content(bundle, arena);
            try (RetrainData data = RetrainData.build(c, content, v.interactions(), o.holdoutShare())) {
                int newUsers = data.dataset.numUser() - data.oldUsers;
                Files.createDirectories(work);
                ModelConfig cfg = c.model.model.config().withNumUser(data.dataset.numUser())
                        .withNumItem(data.dataset.numItem()).withNumWarmItem(data.dataset.numWarmItem())
                        .withDevice(Device.CPU).withNumThreads(o.trainThreads()).withSeed(o.seed());
                Path start = null;
                if (o.init() == RetrainOptions.Init.WARM) {
                    start = work.resolve("warm-start.ckpt");
                    WarmStart.write(c, data, cfg, data.dataset.content(), start);
                }
                RunConfig rc = new RunConfig(cfg, new SamplingConfig(o.batchSize(), o.numNeg(), 0.5, o.seed(), 0, false),
                        new TrainOptions(o.epochs(), o.epochs() + 1, crit, null, null, 0), new int[] {crit.k()}, 256,
                        start);
                LOG.log(System.Logger.Level.INFO, "retrain ({0}) from {1}: {2} new interactions ({3} trained on), {4} "
                        + "users, {5} items ({6} warm), {7} epochs, {8} start", trigger, from, data.newInteractions,
                        data.trainedNew, data.dataset.numUser(), data.dataset.numItem(), data.dataset.numWarmItem(),
                        o.epochs(), o.init().name().toLowerCase(Locale.ROOT));
                TrainingRun.Outcome trained = TrainingRun.execute(data.dataset, data.dataset.content(), rc,
                        TrainingListener.NONE);
                try (ClcrecModel candidate = trained.model()) {
                    RetrainGate.Values g = RetrainGate.evaluate(c, data, candidate, crit);
                    candidateDir = history.newCandidate();
                    // The weight of content evidence carries over: choosing it again needs validation data
                    // of the kind training had, and it is a property of the content more than of the model.
                    BundleManifest m = BundleWriter.write(candidateDir, candidate, data.dataset.content(), "retrain",
                            data.userIds, data.itemIds, data.dataset.train(), c.model.fusionWeight());
                    boolean pass = g.candidate() >= g.serving() - o.tolerance();
                    String values = String.format(Locale.ROOT, "%s: candidate %.5f, serving %.5f, tolerance %.5f "
                            + "(%d held-out pairs of %d users)", critName, g.candidate(), g.serving(), o.tolerance(),
                            g.holdoutPairs(), g.holdoutUsers());
                    if (!pass) {
                        Path aside = history.keepAside(candidateDir, "refused: " + values);
                        return new RetrainOutcome(RetrainOutcome.Outcome.REFUSED, "worse than the serving model by more"
                                + " than the tolerance; " + values, trigger, from, m.modelVersion(), critName,
                                g.serving(), g.candidate(), data.newInteractions, g.holdoutPairs(), newUsers,
                                data.becameWarm, secs(t0), aside);
                    }
                    swapIn(candidateDir, c.model);
                    return new RetrainOutcome(RetrainOutcome.Outcome.SWAPPED, "passed the gate; " + values, trigger,
                            from, m.modelVersion(), critName, g.serving(), g.candidate(), data.newInteractions,
                            g.holdoutPairs(), newUsers, data.becameWarm, secs(t0), candidateDir);
                }
            }
        } catch (RetrainData.NoHoldoutException e) {
            return RetrainOutcome.simple(RetrainOutcome.Outcome.SKIPPED, "no holdout for the gate: " + e.getMessage(),
                    trigger, from, secs(t0));
        } catch (RuntimeException | InterruptedException | IOException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.ERROR, "retrain failed; " + from + " keeps serving", e);
            return RetrainOutcome.simple(RetrainOutcome.Outcome.FAILED, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), trigger, from, secs(t0));
        } finally {
            history.cleanUpWork(work);
        }
    }

    /**
     * Loads the bundle, names it in force durably, then swaps it in: a crash before the pointer is
     * written restarts on the old bundle, after it on the new one; both are complete.
     */
    private void swapIn(Path dir, ServingModel expected) {
        ServingModel next = loader.apply(dir);
        try {
            if (live.catalog().model != expected) {
                throw new IllegalStateException("the model was replaced while the candidate trained");
            }
            history.push(dir);
        } catch (RuntimeException e) {
            next.model.close();
            throw e;
        }
        ServingModel old = live.reload(next);
        bundle = dir;
        modelSince = Instant.now();
        old.model.close();
    }

    /** Puts the bundle before the one in force back (durably) and serves it. */
    RetrainOutcome rollback() {
        long t0 = System.nanoTime();
        String from = live.catalog().model.version;
        if (!running.tryLock()) {
            return report(RetrainOutcome.simple(RetrainOutcome.Outcome.BUSY, "a retrain is running; roll back after"
                    + " it", "rollback", from, 0));
        }
        try {
            List<Path> entries = history.entries();
            if (entries.size() < 2) {
                throw new IllegalStateException("no earlier bundle to roll back to");
            }
            ServingModel next = loader.apply(entries.get(1));
            try {
                history.rollback();
            } catch (RuntimeException e) {
                next.model.close();
                throw e;
            }
            ServingModel old = live.reload(next);
            bundle = entries.get(1);
            modelSince = Instant.now();
            old.model.close();
            return report(new RetrainOutcome(RetrainOutcome.Outcome.ROLLED_BACK, "rolled back from " + from + " to "
                    + next.version + " (" + entries.get(1) + ")", "rollback", from, next.version, null, Double.NaN,
                    Double.NaN, 0, 0, 0, 0, secs(t0), entries.get(1)));
        } finally {
            running.unlock();
        }
    }

    private RetrainOutcome report(RetrainOutcome r) {
        LOG.log(r.outcome() == RetrainOutcome.Outcome.FAILED ? System.Logger.Level.ERROR : System.Logger.Level.INFO,
                String.format(Locale.ROOT, "retrain %s (%s, %.1f s): %s", r.outcome().label(), r.trigger(), r.seconds(),
                        r.reason()));
        for (Consumer<RetrainOutcome> l : listeners) {
            l.accept(r);
        }
        return r;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.shutdownNow();
            try {
                schedule.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
