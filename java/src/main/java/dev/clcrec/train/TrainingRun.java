package dev.clcrec.train;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.FusionCalibration;
import dev.clcrec.sampling.BatchFiller;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.sampling.NegativeSampler;
import dev.clcrec.sampling.TrainingPairs;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains CLCRec on a dataset end to end: builds (or loads) the model, the sampler and the evaluator,
 * runs the {@link Trainer}, and hands back the best model (reloaded from the best checkpoint when the
 * last epoch was not the best).
 */
public final class TrainingRun {
    private static final System.Logger LOG = System.getLogger(TrainingRun.class.getName());

    private TrainingRun() {}

    /** The trained model (the caller closes it) and what training did. */
    public record Outcome(ClcrecModel model, TrainingResult result) {}

    public static Outcome execute(Dataset data, ContentFeatures content, RunConfig config, TrainingListener listener)
            throws InterruptedException {
        return execute(data, content, config, listener, DataParallel.SINGLE);
    }

    /**
     * One rank of data-parallel training: every rank calls this with the same data and config; the
     * model joins the group (rank 0's parameters are broadcast), each step takes this rank's slice of
     * the global batch, evaluation is sharded by users, and only rank 0 writes checkpoints.
     */
    public static Outcome execute(Dataset data, ContentFeatures content, RunConfig config, TrainingListener listener,
                                  DataParallel parallel) throws InterruptedException {
        ModelConfig mc = config.model();
        ModelConfig sized = new ModelConfig(data.numUser(), data.numItem(), data.numWarmItem(), mc.dimE(),
                mc.hiddenDim(), mc.wordDim(), mc.tempValue(), mc.lrLambda(), mc.regWeight(), mc.learningRate(),
                mc.device(), mc.deviceIndex(), mc.numThreads(), mc.trainWordEmbedding(), mc.seed(), mc.kernels(),
                mc.reTempValue());
        ItemSets train = DatasetViews.sets(data.train());
        TrainingPairs pairs = TrainingPairs.of(train);
        NegativeSampler sampler = new NegativeSampler(data.numWarmItem(), config.sampling().numNeg(),
                DatasetViews.negativeExclusions(data, config.sampling().referenceNegatives()), pairs);
        BatchFiller filler = new BatchFiller(pairs, sampler, config.sampling());
        TrainingState resume = null;
        ClcrecModel model;
        if (config.resumeFrom() != null) {
            ModelConfig[] stored = new ModelConfig[1];
            ClcrecModel.Loaded loaded = ClcrecModel.loadWithState(config.resumeFrom(), content, s -> {
                checkSameShape(config.resumeFrom(), s, sized);
                stored[0] = s;
                return withTrainingSettings(s, sized);
            });
            model = loaded.model();
            try {
                resume = loaded.state() == null ? null : TrainingState.fromJson(loaded.state(), config.resumeFrom());
                // A run whose step size was lowered stored the lowered one; the trainer lowers it again.
                int decays = resume == null ? 0 : resume.lrDecays();
                String changed = changedSettings(stored[0], sized.withLearningRate(
                        config.options().decay().stepSize(sized.learningRate(), decays)));
                if (!changed.isEmpty()) {
                    LOG.log(Level.INFO, "resuming {0} with {1}", config.resumeFrom(), changed);
                }
                if (resume != null && resume.stepCount() != model.stepCount()) {
                    throw new IllegalArgumentException(config.resumeFrom() + ": the training state says "
                            + resume.stepCount() + " steps but the weights have taken " + model.stepCount());
                }
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            if (resume == null) {
                LOG.log(Level.INFO, "{0} has no training state: fine-tuning its weights from epoch 0",
                        config.resumeFrom());
            }
        } else {
            model = ClcrecModel.create(sized, content);
        }
        TrainingResult result;
        try (Evaluator evaluator = DatasetViews.evaluator(data, config.ks(), config.evalBlock(), parallel.evalShard())) {
            parallel.prepare(model);
            result = new Trainer(model, filler, evaluator, config.options(), listener, parallel).run(resume, config.resumeFrom());
        } catch (RuntimeException | InterruptedException e) {
            model.close();
            throw e;
        }
        var best = config.options().bestCheckpoint();
        boolean lastIsBest = result.best() != null && !result.history().isEmpty()
                && result.history().getLast().epoch() == result.best().epoch();
        if (best != null && Files.exists(best) && !lastIsBest) {
            model.close();
            model = ClcrecModel.load(best, content, mc.device(), mc.deviceIndex(), mc.numThreads(), mc.kernels());
        }
        boolean holdsBest = lastIsBest || (best != null && Files.exists(best));
        if (config.distill() != null && result.best() != null && !holdsBest) {
            // Without a best checkpoint the model in hand is the last epoch's, not the selected one.
            LOG.log(Level.WARNING, "distillation skipped: the selected epoch was not the last and no best checkpoint "
                    + "was saved to distil it from");
        }
        if (config.distill() != null && result.best() != null && holdsBest
                && result.reason() != StopReason.NON_FINITE_LOSS) {
            try {
                result = distil(data, model, config, result, train, parallel);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        if (config.fusesContent() && result.best() != null && result.reason() != StopReason.NON_FINITE_LOSS) {
            if (!holdsBest) {
                LOG.log(Level.WARNING, "content fusion skipped: the selected epoch was not the last and no best "
                        + "checkpoint was saved to fuse it from");
            } else if (content.modalities().isEmpty()) {
                LOG.log(Level.INFO, "content fusion skipped: word-level text alone has no content vector to fuse");
            } else if (data.numItem() - data.numWarmItem() < FusionCalibration.MIN_ITEMS) {
                LOG.log(Level.WARNING, "content fusion skipped: {0} cold items, fewer than the {1} it is calibrated "
                        + "on", data.numItem() - data.numWarmItem(), FusionCalibration.MIN_ITEMS);
            } else {
                try {
                    result = result.fused(chooseFusion(data, content, model, config, train));
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
            }
        }
        return new Outcome(model, result);
    }

    /** Every rank chooses alike: the choice evaluates all users in this process, deterministically. */
    private static ContentFusionChoice.Result chooseFusion(Dataset data, ContentFeatures content, ClcrecModel model,
                                                           RunConfig config, ItemSets train) {
        try (Evaluator evaluator = DatasetViews.evaluator(data, config.ks(), config.evalBlock())) {
            return ContentFusionChoice.choose(model, content, train, data.numWarmItem(), evaluator,
                    ContentFusionChoice.criterion(config.options().selection(), config.ks()), config.fusionWeights());
        }
    }

    /**
     * Distils the selected model's encoder from its own id table (Distillation) and, when that beat it
     * on validation, saves the distilled model beside the best checkpoint ("-distilled"); the best
     * checkpoint itself stays the trained model, whose training state it carries for resuming.
     */
    private static TrainingResult distil(Dataset data, ClcrecModel model, RunConfig config, TrainingResult result,
                                         ItemSets train, DataParallel parallel) {
        if (parallel.distributed()) {
            throw new IllegalArgumentException("distillation runs in one process after training; it cannot follow "
                    + "data-parallel training");
        }
        var selection = config.options().selection();
        Distillation.Result d;
        try (Evaluator evaluator = DatasetViews.evaluator(data, config.ks(), config.evalBlock())) {
            d = Distillation.run(model, train, data.numWarmItem(), evaluator, selection,
                    selection.value(result.best().eval()), config.distill(), config.model().seed());
        }
        String account = d.describe(selection);
        LOG.log(Level.INFO, account);
        var best = config.options().bestCheckpoint();
        if (d.improved() && best != null) {
            String name = best.getFileName().toString();
            String stem = name.endsWith(".ckpt") ? name.substring(0, name.length() - 5) : name;
            java.nio.file.Path distilled = best.resolveSibling(stem + "-distilled.ckpt");
            model.save(distilled);
            account += "; saved to " + distilled;
        }
        return result.distilled(d, account);
    }

    /** A checkpoint resumed on another dataset would train silently on the wrong users or warm/cold split. */
    private static void checkSameShape(java.nio.file.Path checkpoint, ModelConfig stored, ModelConfig run) {
        if (stored.numUser() != run.numUser() || stored.numItem() != run.numItem()
                || stored.numWarmItem() != run.numWarmItem()) {
            throw new IllegalArgumentException(checkpoint + " was trained for " + stored.numUser() + " users and "
                    + stored.numItem() + " items (" + stored.numWarmItem() + " warm), but the dataset has "
                    + run.numUser() + " and " + run.numItem() + " (" + run.numWarmItem() + " warm)");
        }
        if (stored.dimE() != run.dimE() || stored.hiddenDim() != run.hiddenDim()) {
            throw new IllegalArgumentException(checkpoint + " has --dim_E " + stored.dimE() + " and --hidden_dim "
                    + stored.hiddenDim() + ", but this run asks for " + run.dimE() + " and " + run.hiddenDim()
                    + "; pass the checkpoint's widths to resume it");
        }
    }

    /**
     * The checkpoint's sizes with this run's loss weights, step size and word-table setting: a resumed
     * run trains as its flags say (the same flags continue exactly; a lower --l_r continues from the
     * same weights and Adam moments at the lower step size).
     */
    private static ModelConfig withTrainingSettings(ModelConfig stored, ModelConfig run) {
        return stored.withTempValue(run.tempValue()).withReTempValue(run.reTempValue()).withLrLambda(run.lrLambda()).withRegWeight(run.regWeight())
                .withLearningRate(run.learningRate()).withTrainWordEmbedding(run.trainWordEmbedding())
                .withDevice(run.device()).withDeviceIndex(run.deviceIndex()).withNumThreads(run.numThreads())
                .withKernels(run.kernels());
    }

    /** "--l_r 0.0003 (was 0.003)", one entry for each training setting the run changes; empty when none. */
    static String changedSettings(ModelConfig stored, ModelConfig run) {
        List<String> changed = new ArrayList<>();
        changedSetting(changed, "--l_r", stored.learningRate(), run.learningRate());
        changedSetting(changed, "--temp_value", stored.tempValue(), run.tempValue());
        changedSetting(changed, "--re-temp-value", stored.effectiveReTempValue(), run.effectiveReTempValue());
        changedSetting(changed, "--lr_lambda", stored.lrLambda(), run.lrLambda());
        changedSetting(changed, "--reg_weight", stored.regWeight(), run.regWeight());
        if (stored.trainWordEmbedding() != run.trainWordEmbedding()) {
            changed.add(run.trainWordEmbedding() ? "the word table training (was frozen)"
                    : "--frozen-words (the word table trained before)");
        }
        return String.join(", ", changed);
    }

    private static void changedSetting(List<String> changed, String flag, double stored, double run) {
        if (stored != run) {
            changed.add(flag + " " + run + " (was " + stored + ")");
        }
    }
}
