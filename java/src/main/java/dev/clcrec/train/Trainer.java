package dev.clcrec.train;

import dev.clcrec.engine.ClcrecException;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.StepLosses;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.sampling.BatchFiller;
import dev.clcrec.sampling.BatchPipeline;
import dev.clcrec.sampling.SamplingConfig;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CLCRec training loop: epochs of sampled batches fed to the native step, an evaluation of
 * every split after each epoch, model selection on a chosen criterion (the reference's: validation
 * Recall@K, all setting), the reference's stopping rule on that criterion, checkpoints that carry their
 * training state for exact resumption.
 *
 * <p>Not thread-safe; one run at a time. The model is trained in place.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final ClcrecModel model;
    private final BatchFiller filler;
    private final Evaluator evaluator;
    private final TrainOptions options;
    private final TrainingListener listener;
    private final DataParallel parallel;
    private final WeightAverage average;
    /**
     * The model's own weights while the average stands in for them (evaluation, best checkpoint); null
     * when it holds them itself.
     */
    private Map<String, float[]> trainedWeights;

    public Trainer(ClcrecModel model, BatchFiller filler, Evaluator evaluator, TrainOptions options,
                   TrainingListener listener) {
        this(model, filler, evaluator, options, listener, DataParallel.SINGLE);
    }

    /**
     * A trainer for one rank of data-parallel training: the model must have joined
     * {@code parallel}'s group and the evaluator must use its {@link DataParallel#evalShard()}.
     */
    public Trainer(ClcrecModel model, BatchFiller filler, Evaluator evaluator, TrainOptions options,
                   TrainingListener listener, DataParallel parallel) {
        this.parallel = parallel;
        this.model = model;
        this.filler = filler;
        this.evaluator = evaluator;
        this.options = options;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.average = options.averaging() ? new WeightAverage(options.averageDecay()) : null;
        if (java.util.Arrays.stream(evaluator.cutoffs()).noneMatch(k -> k == options.selectionK())) {
            throw new IllegalArgumentException("the evaluator does not compute K=" + options.selectionK());
        }
    }

    /** Identifies the sampling stream; resuming under a different one would not continue the same run. */
    public static String samplingKey(SamplingConfig c) {
        String key = String.format(Locale.ROOT, "seed=%d batch_size=%d num_neg=%d num_sample=%s reference_negatives=%b",
                c.seed(), c.batchSize(), c.numNeg(), Double.toString(c.numSample()), c.referenceNegatives());
        return c.hybridGroups() ? key + " hybrid=groups" : key;
    }

    /**
     * Trains until the stopping rule, num_epoch or a non-finite loss.
     *
     * @param resume state saved with the checkpoint the model was loaded from, or null to start at epoch 0
     */
    public TrainingResult run(TrainingState resume) throws InterruptedException {
        return run(resume, null);
    }

    /**
     * Trains until the stopping rule, num_epoch or a non-finite loss.
     *
     * @param resume     state saved with the checkpoint the model was loaded from, or null to start at epoch 0
     * @param resumeFrom that checkpoint, where the run averages its weights: the average saved beside it
     *                   ({@link WeightAverage#fileBeside}) continues too
     */
    public TrainingResult run(TrainingState resume, Path resumeFrom) throws InterruptedException {
        String key = samplingKey(filler.config());
        StoppingRule rule = new StoppingRule(options.patience());
        List<EpochRecord> history = new ArrayList<>();
        long epoch = 0;
        if (resume != null) {
            if (!resume.samplingKey().equals(key)) {
                throw new IllegalArgumentException("the checkpoint was trained with " + resume.samplingKey()
                        + " but this run uses " + key + "; use the same flags to resume");
            }
            checkSameSelection(resume);
            checkSameAveraging(resume);
            if (average != null) {
                average.restore(model, resume, resumeFrom);
            }
            rule = new StoppingRule(options.patience(), resume.bestRecall(), resume.bestEpoch(),
                    resume.epochsWithoutImprovement());
            history.addAll(resume.history());
            epoch = resume.nextEpoch();
            LOG.log(Level.INFO, "resuming at epoch {0} (best so far: epoch {1})", epoch, resume.bestEpoch());
        }
        LearningRateDecay decay = options.decay();
        double baseRate = model.config().learningRate();
        int decays = resume == null ? 0 : resume.lrDecays();
        if (decays > 0) {
            model.setLearningRate(decay.stepSize(baseRate, decays));
        }
        long started = System.nanoTime();
        SamplingConfig sc = filler.config();
        try (BatchPipeline pipeline = new BatchPipeline(filler);
             SliceStep slicer = new SliceStep(parallel, sc.hybridCount((long) sc.batchSize() * sc.groupSize()));
             RestorePoint bestEpoch = decay.enabled()
                     ? RestorePoint.open(options.bestCheckpoint(), parallel.leader(), resume != null) : null) {
            while (true) {
                if (rule.shouldStop()) {
                    return finish(history, rule, StopReason.NO_IMPROVEMENT, "stopped after " + rule.patience()
                            + " epochs without a better " + options.selection().describe());
                }
                if (epoch >= options.numEpoch()) {
                    return finish(history, rule, StopReason.EPOCH_LIMIT, "reached num_epoch=" + options.numEpoch());
                }
                double elapsed = (System.nanoTime() - started) / 1e9;
                // Each rank has its own clock: the ranks agree, so that all stop at the same epoch.
                if (options.maxSeconds() > 0 && parallel.anyRank(elapsed >= options.maxSeconds())) {
                    return finish(history, rule, StopReason.TIME_LIMIT, String.format(Locale.ROOT,
                            "reached the time limit of %.0f s", options.maxSeconds()));
                }
                EpochRecord record;
                try {
                    record = trainEpoch(pipeline, slicer, epoch);
                } catch (NonFiniteLossException e) {
                    String where = options.lastCheckpoint() != null ? "; the last good checkpoint is "
                            + options.lastCheckpoint() : "";
                    LOG.log(Level.ERROR, e.getMessage());
                    return finish(history, rule, StopReason.NON_FINITE_LOSS, e.getMessage()
                            + "; training stopped (try a lower --l_r)" + where);
                }
                double value = options.selection().value(record.eval());
                boolean improved = rule.record(epoch, value);
                history.add(record);
                TrainingState state = state(epoch, key, rule, history, decays);
                // With a weight average the model holds the average here: that is what was
                // evaluated, and what the best checkpoint keeps.
                if (improved && options.bestCheckpoint() != null && parallel.leader()) {
                    save(options.bestCheckpoint(), state);
                }
                if (improved && bestEpoch != null) {
                    bestEpoch.update(model, state);
                }
                if (average != null) {
                    if (options.averageCheckpoint() != null && parallel.leader()) {
                        WeightAverage.keepPrevious(options.averageCheckpoint());
                        save(options.averageCheckpoint(), state);
                    }
                    if (trainedWeights != null) { // null in the average's first epoch: it is the model's own
                        WeightAverage.put(model, trainedWeights);
                        trainedWeights = null;
                    }
                }
                if (options.lastCheckpoint() != null && parallel.leader()) {
                    save(options.lastCheckpoint(), state);
                }
                LOG.log(Level.INFO, String.format(Locale.ROOT,
                        "epoch %d: loss %.5f, %s %.5f%s (train %.1fs, eval %.1fs)", epoch, record.loss(),
                        options.selection().describe(), value,
                        improved ? " (best)" : "", record.trainSeconds(), record.evalSeconds()));
                listener.onEpoch(record, improved);
                String prune = listener.stopAfter(record, rule.bestRecall());
                if (prune != null) {
                    return finish(history, rule, StopReason.PRUNED, prune);
                }
                if (bestEpoch != null && decays < decay.times() && decay.pastWarmup(rule.bestEpoch())
                        && rule.epochsWithoutImprovement() >= decay.patience() && !rule.shouldStop()) {
                    decays++;
                    lowerStepSize(bestEpoch, decay.stepSize(baseRate, decays), rule, epoch);
                    // The last checkpoint is the state the next epoch starts from, so that a resume
                    // continues exactly as this run does.
                    if (options.lastCheckpoint() != null && parallel.leader()) {
                        save(options.lastCheckpoint(), state(epoch, key, rule, history, decays));
                    }
                }
                epoch++;
            }
        }
    }

    private TrainingState state(long epoch, String key, StoppingRule rule, List<EpochRecord> history, int decays) {
        return new TrainingState(TrainingState.FORMAT_VERSION, epoch + 1, key, rule.bestRecall(), rule.bestEpoch(),
                rule.epochsWithoutImprovement(), model.stepCount(), history, options.selection().toString(), decays,
                options.averageDecay());
    }

    /**
     * Goes back to the best epoch and trains on at a lower step size. Every rank of a group does the
     * same: where one rank holds no best epoch (it resumed and has not improved since), all lower the
     * step size in place instead.
     */
    private void lowerStepSize(RestorePoint bestEpoch, double rate, StoppingRule rule, long epoch) {
        boolean restore = !parallel.anyRank(!bestEpoch.held());
        if (restore) {
            bestEpoch.restore(model);
        }
        model.setLearningRate(rate);
        rule.restartPatience();
        LOG.log(Level.INFO, String.format(Locale.ROOT, "epoch %d: no better %s for %d epochs: %s, step size %.3g",
                epoch, options.selection().describe(), options.decay().patience(),
                restore ? "back to epoch " + rule.bestEpoch() : "in place", rate));
        listener.onStepSizeLowered(epoch, rate, restore ? rule.bestEpoch() : -1);
    }

    /** Resuming under another criterion would compare its values with the other's best. */
    private void checkSameSelection(TrainingState resume) {
        String stored = resume.selection();
        String wanted = options.selection().toString();
        boolean same = stored == null
                ? options.selection().equals(dev.clcrec.eval.SelectionCriterion.reference(options.selectionK()))
                : stored.equals(wanted);
        if (!same) {
            throw new IllegalArgumentException("the checkpoint was trained selecting on "
                    + (stored == null ? "val:all:recall" : stored) + " but this run selects on " + wanted
                    + "; use the same --select-on to resume");
        }
    }

    /** A run that averages its weights continues only one that did, with the same decay, and vice versa. */
    private void checkSameAveraging(TrainingState resume) {
        if (resume.averageDecay() != options.averageDecay()) {
            throw new IllegalArgumentException("the checkpoint was trained with --average-weights "
                    + resume.averageDecay() + " but this run uses " + options.averageDecay()
                    + "; use the same --average-weights to resume");
        }
    }

    private void save(Path checkpoint, TrainingState state) {
        Path parent = checkpoint.toAbsolutePath().getParent();
        try {
            java.nio.file.Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + parent + ": " + e.getMessage(), e);
        }
        model.save(checkpoint, state.toJson()); // weights and state as one atomic, checksummed unit
    }

    private TrainingResult finish(List<EpochRecord> history, StoppingRule rule, StopReason reason, String message) {
        parallel.barrier(); // the leader's last checkpoint is complete before any rank reads it
        if (average != null && average.started()) {
            average.putInto(model); // the run's model is its average; its own weights are in the last checkpoint
            trainedWeights = null;
        }
        EpochRecord best = history.stream().filter(r -> r.epoch() == rule.bestEpoch()).findFirst().orElse(null);
        LOG.log(Level.INFO, message);
        return new TrainingResult(best, history, reason, message);
    }

    private EpochRecord trainEpoch(BatchPipeline pipeline, SliceStep slicer, long epoch) throws InterruptedException {
        double[] sums = new double[5];
        long[] steps = {0};
        long[] pairs = {0};
        long batches = pipeline.batchesPerEpoch();
        long wait0 = pipeline.waitNanos();
        long native0 = model.trainStepNativeNanos();
        long t0 = System.nanoTime();
        pipeline.runEpoch(epoch, 0, batch -> {
            StepLosses l;
            try {
                l = slicer.step(model, batch);
            } catch (ClcrecException e) {
                if (e.status() == ClcrecException.NOT_FINITE) {
                    throw new NonFiniteLossException("epoch " + epoch + ", batch " + batch.index() + ": "
                            + e.getMessage());
                }
                throw e;
            }
            if (!Double.isFinite(l.loss())) {
                throw new NonFiniteLossException("epoch " + epoch + ", batch " + batch.index() + ": the loss is " + l.loss());
            }
            sums[0] += l.loss();
            sums[1] += l.lossRe();
            sums[2] += l.lossUi();
            sums[3] += l.reg();
            sums[4] += l.mat();
            steps[0]++;
            pairs[0] += batch.size();
            listener.onStep(epoch, batch.index() + 1, batches, pairs[0], sums[0] / steps[0]);
        });
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        if (average != null) {
            trainedWeights = average.averageIn(model);
        }
        listener.onEvaluating(epoch);
        long e0 = System.nanoTime();
        EvalResult eval = evaluator.evaluate(new ModelRanker(model));
        double evalSeconds = (System.nanoTime() - e0) / 1e9;
        double n = Math.max(1, steps[0]);
        return new EpochRecord(epoch, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, steps[0],
                trainSeconds, (pipeline.waitNanos() - wait0) / 1e9, (model.trainStepNativeNanos() - native0) / 1e9,
                evalSeconds, eval);
    }

    /** A step's loss was NaN or infinite. */
    static final class NonFiniteLossException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteLossException(String message) {
            super(message);
        }
    }
}
