package dev.clcrec.cli;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.engine.DistillTerms;
import dev.clcrec.train.Distillation;
import dev.clcrec.train.LearningRateDecay;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: the reference's command line, unchanged, plus our own options. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains CLCRec and prints the best epoch's results (val and test x all/warm/cold).",
                "Accepts the authors' flags unchanged; writes results.json, epochs.csv and training.png to --out."})
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    // ---- the reference's flags ----
    @Option(names = "--model_name", description = "Accepted for compatibility (always CLCRec).", defaultValue = "CLCRec")
    String modelName;
    @Option(names = "--data_path", description = "Dataset directory, or a name under ./Data/ (reference layout or ours).",
            defaultValue = "movielens")
    String dataPath;
    @Option(names = "--l_r", description = "Learning rate (default ${DEFAULT-VALUE}, " + TrainDefaults.THIN_L_R
            + " on content under " + TrainDefaults.RICH_CONTENT_COLUMNS + " columns; reference 0.001).",
            defaultValue = TrainDefaults.L_R)
    double learningRate;
    @Option(names = "--reg_weight", description = "Weight of the embedding-norm regulariser (default ${DEFAULT-VALUE}, "
            + TrainDefaults.THIN_REG_WEIGHT + " on content under " + TrainDefaults.RICH_CONTENT_COLUMNS
            + " columns; reference 0.1).", defaultValue = TrainDefaults.REG_WEIGHT)
    double regWeight;
    @Option(names = "--num_workers", description = "Sampler threads running ahead of training (default ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int numWorkers;
    @Option(names = "--num_neg", description = "Negatives per training pair (default ${DEFAULT-VALUE}, "
            + TrainDefaults.RICH_NUM_NEG + " on content of " + TrainDefaults.RICH_CONTENT_COLUMNS
            + " or more columns; reference 512).",
            defaultValue = TrainDefaults.NUM_NEG)
    int numNeg;
    @Option(names = "--has_v", description = "Use visual features: True|False.", defaultValue = "True",
            converter = PythonBoolean.class, arity = "1")
    boolean hasV;
    @Option(names = "--has_a", description = "Use acoustic features: True|False.", defaultValue = "True",
            converter = PythonBoolean.class, arity = "1")
    boolean hasA;
    @Option(names = "--has_t", description = "Use textual features: True|False.", defaultValue = "True",
            converter = PythonBoolean.class, arity = "1")
    boolean hasT;
    @Option(names = "--lr_lambda", description = "Weight of the R-E loss; 1-lr_lambda weighs U-I (default ${DEFAULT-VALUE}; "
            + "reference 1, which gives U-I weight 0).", defaultValue = TrainDefaults.LR_LAMBDA)
    double lrLambda;
    @Option(names = "--temp_value", description = "Softmax temperature (default ${DEFAULT-VALUE}, "
            + TrainDefaults.THIN_TEMP_VALUE + " on content under " + TrainDefaults.RICH_CONTENT_COLUMNS
            + " columns; reference 1).",
            defaultValue = TrainDefaults.TEMP_VALUE)
    double tempValue;
    @Option(names = "--re-temp-value", paramLabel = "T", description = "Temperature of the R-E term alone (item id "
            + "embeddings against their content's encoding); 0, the default, means --temp_value for both terms, as the "
            + "reference.", defaultValue = "0")
    double reTempValue;
    @Option(names = "--num_sample", description = "Fraction of rows whose U-I candidate is the encoder output "
            + "(default ${DEFAULT-VALUE}; reference 0.5).", defaultValue = TrainDefaults.NUM_SAMPLE)
    double numSample;
    @Option(names = "--hybrid", description = "How the --num_sample hybrid rows are drawn: rows (single rows with "
            + "replacement, as the reference) or groups (a pair's positive and all its negatives together; "
            + "default ${DEFAULT-VALUE}).", defaultValue = TrainDefaults.HYBRID, converter = HybridUnit.Converter.class)
    HybridUnit hybrid;
    @Option(names = "--batch_size", description = "Training pairs per step (default ${DEFAULT-VALUE}).", defaultValue = "256")
    int batchSize;
    @Option(names = "--dim_E", description = "Embedding width (default ${DEFAULT-VALUE}, " + TrainDefaults.RICH_DIM_E
            + " on content of " + TrainDefaults.RICH_CONTENT_COLUMNS + " or more columns; reference 64).",
            defaultValue = TrainDefaults.DIM_E)
    int dimE;
    @Option(names = "--hidden_dim", description = "Width of the content encoder's hidden layer "
            + "(default ${DEFAULT-VALUE}, the reference's fixed width; " + TrainDefaults.THIN_HIDDEN_DIM
            + " on content under " + TrainDefaults.RICH_CONTENT_COLUMNS + " columns unless --l_r is given).",
            defaultValue = "256")
    int hiddenDim;
    @Option(names = "--topK",
            description = "K of the reported metrics and, without --select-on, of model selection (default ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int topK;
    @Option(names = "--step", description = "Users per ranking block in evaluation (default ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    int step;
    @Option(names = "--num_epoch", description = "Most epochs (default ${DEFAULT-VALUE}).", defaultValue = "1000")
    int numEpoch;
    @Option(names = "--seed", description = "Seed of initialisation and sampling (default ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;
    @Option(names = "--no-cuda", description = "Train on the CPU even if a GPU is available.")
    boolean noCuda;
    @Option(names = "--PATH_weight_load", description = "Checkpoint to resume from (continues exactly from a checkpoint that train wrote).")
    Path weightLoad;
    @Option(names = "--PATH_weight_save", description = "Where the best model is saved (default: <out>/best.ckpt).")
    Path weightSave;
    @Option(names = "--save_file", description = "Accepted for compatibility; name of the results JSON in --out.",
            defaultValue = "results.json")
    String saveFile;
    @Option(names = "--prefix", description = "Accepted for compatibility; prefixed to the output file names.", defaultValue = "")
    String prefix;

    // ---- our own ----
    @Option(names = "--reference-defaults", description = {"Model flags not given take the reference's argparse "
            + "defaults (--l_r 0.001 --reg_weight 0.1 --num_neg 512 --lr_lambda 1 --temp_value 1 --num_sample 0.5 "
            + "--dim_E 64 --lr-decays 0) instead of ours. The reference's --lr_lambda 1 weighs the user-item loss 0 "
            + "and trains a near-random model; ours were measured to train a good one (README, \"Default settings\")."})
    boolean referenceDefaults;
    @Option(names = "--threads", description = "LibTorch threads; 0 = all cores (default ${DEFAULT-VALUE}).", defaultValue = "0")
    int threads;
    @Option(names = "--patience", description = "Epochs without a better --select-on value before stopping (default "
            + "${DEFAULT-VALUE}, " + TrainDefaults.THIN_PATIENCE + " on content under " + TrainDefaults.RICH_CONTENT_COLUMNS
            + " columns unless --l_r is given; reference: 7).",
            defaultValue = "7")
    int patience;
    @Option(names = "--ks", split = ",", description = "Extra cutoffs to evaluate, e.g. 10,20 (topK is always included).",
            defaultValue = "10,20")
    int[] ks;
    @Option(names = "--out", description = "Output directory (default ${DEFAULT-VALUE}).", defaultValue = "out/train")
    Path out;
    @Option(names = "--reference-negatives", description = "Also keep users' val/test items out of the negatives, as the authors' code does.")
    boolean referenceNegatives;
    @Option(names = "--frozen-words", description = "Keep the word table at its random init, as the authors' code does.")
    boolean frozenWords;
    @Option(names = "--device", description = "auto, cpu or cuda (default ${DEFAULT-VALUE}; --no-cuda means cpu).",
            defaultValue = "auto")
    String device;
    @Option(names = "--max-minutes", description = "Start no new epoch after this many minutes (0 = no limit).",
            defaultValue = "0")
    double maxMinutes;
    @Option(names = "--lr-decays", description = "How often the step size is lowered when the selection value stops "
            + "improving: training goes back to its best epoch and on at --l_r times --lr-decay (default "
            + "${DEFAULT-VALUE}, but 0 when --l_r is given: a step size chosen is kept, as the authors' commands "
            + "expect, and 0 on content under " + TrainDefaults.RICH_CONTENT_COLUMNS + " columns; 0 = never; "
            + "reference 0).", defaultValue = TrainDefaults.LR_DECAYS)
    int lrDecays;
    @Option(names = "--lr-decay", description = "Factor of each lowering of the step size, between 0 and 1 (default "
            + "${DEFAULT-VALUE}).", defaultValue = "0.1")
    double lrDecay;
    @Option(names = "--lr-decay-patience", description = "Epochs without a better selection value before the step "
            + "size is lowered (default ${DEFAULT-VALUE}; --patience still ends training).", defaultValue = "3")
    int lrDecayPatience;
    @Option(names = "--lr-decay-warmup", description = "No lowering while the best epoch is earlier than this: a run "
            + "that has not improved past its first epoch has not started to learn (default ${DEFAULT-VALUE}; 0 = "
            + "any epoch).", defaultValue = "1")
    int lrDecayWarmup;
    @Option(names = "--average-weights", paramLabel = "DECAY", description = "Evaluate, select and save an "
            + "exponential moving average of the weights over epochs (after each epoch: average = DECAY x average + "
            + "(1 - DECAY) x weights), kept beside the last checkpoint for a resume; 0, the default, uses each "
            + "epoch's own weights as the reference.", defaultValue = "0")
    double averageWeights;
    @Option(names = "--baselines", description = {"Also evaluate the content-kNN, content-profile and random "
            + "baselines and train the id-only collaborative one (this model's flags without content: lr_lambda 0, "
            + "num_sample 0; warm items only), and warn where one beats the model on the test split."})
    boolean baselines;
    @Option(names = "--select-on", paramLabel = "SPLIT:SETTING:METRIC@K",
            description = {"What the best epoch maximises: model selection, the stopping rule, the best checkpoint "
                    + "and the results table follow it, e.g. val:cold:ndcg@20 (default: val:all:recall@<topK>, "
                    + "the reference's rule). Metrics: precision, recall, ndcg, hit; K is added to --ks."})
    String selectOn;
    @Option(names = "--runs", description = "Train N times with seeds seed..seed+N-1 and report mean ± std "
            + "(default ${DEFAULT-VALUE}).", defaultValue = "1")
    int runs;
    @Option(names = "--parallel", description = "With --runs: trainings at once, at most the cores "
            + "(default ${DEFAULT-VALUE}).", defaultValue = "1")
    int parallel;
    @Option(names = "--distill", description = {"After training, distil the selected model's content encoder "
            + "from its own id embeddings in the style of ALDI (SIGIR 2023): the users' and warm items' id "
            + "embeddings (frozen) teach the encoder, so that its output for cold items lands where id embeddings "
            + "would. Distillation epochs are evaluated like training epochs; the one that beats the trained "
            + "model on --select-on (validation) is kept, else the encoder stays as trained. README, \"Distillation\"."})
    boolean distill;
    @Option(names = "--distill-weights", paramLabel = "SUP,RANK,IDENT,RATING", split = ",",
            description = "Weights of the distillation's terms: supervised BPR on the encoder's scores, ranking "
                    + "(score gaps against the teacher's), identification (self-similarity gaps), rating "
                    + "(|teacher score - encoder score|) (default ${DEFAULT-VALUE}: ALDI's 1, alpha, beta, gamma).",
            defaultValue = "1,0.9,0.05,0.1")
    double[] distillWeights;
    @Option(names = "--distill-epochs", description = "Most distillation epochs (default ${DEFAULT-VALUE}; it stops "
            + "after 3 without a better --select-on value).", defaultValue = "10")
    int distillEpochs;
    @Option(names = "--distill-lr", description = "Learning rate of the distillation's Adam (default ${DEFAULT-VALUE}).",
            defaultValue = "0.001")
    double distillLr;
    @Option(names = "--distill-popularity", paramLabel = "M", description = "ALDI's popularity weighting of the "
            + "teacher items: min(tanh(a x freq), tanh(M)); 0 weighs every item 1 (default ${DEFAULT-VALUE}).",
            defaultValue = "4")
    double distillPopularity;
    @Option(names = "--content-fusion", split = ",", paramLabel = "WEIGHT", description = {"Candidate weights of "
            + "content evidence on new items, one chosen on validation after training: per user, over the cold items, "
            + "z(model) + WEIGHT x z(content profile), mapped back to the model's mean and spread there; warm items "
            + "keep the model's scores. The bundle keeps the chosen weight and the server ranks that way. 0 = the "
            + "model alone (default ${DEFAULT-VALUE}; " + TrainDefaults.CONTENT_FUSION + " unless --l_r or "
            + "--reference-defaults is given or the content has " + TrainDefaults.DENSE_EVIDENCE_COLUMNS
            + " or more non-zero values per item)."}, defaultValue = "0")
    double[] contentFusion;
    @picocli.CommandLine.Mixin
    DistributedOptions distributed;

    @Override
    public Integer call() throws Exception {
        checkFlags();
        int nproc = distributed.launchCount(spec);
        if (nproc > 0) {
            java.util.List<String> args = spec.commandLine().getParseResult().originalArgs();
            int at = args.indexOf(spec.name());
            java.util.List<String> own = LocalLauncher.withoutNproc(args.subList(at + 1, args.size()));
            return LocalLauncher.run(nproc, own, distributed.timeout(spec), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        DistributedOptions.Rank rank = distributed.resolve(spec, System.getenv());
        if (distill && (rank != null || distributed.replayRanks > 1)) {
            throw new ParameterException(spec.commandLine(), "--distill runs in one process after training; it cannot "
                    + "be combined with data-parallel training (--nproc/--world-size/--replay-ranks)");
        }
        Path dir = DataPaths.resolve(spec, dataPath);
        try (Dataset data = Datasets.open(dir)) {
            ContentFeatures content = ContentSelection.select(data.content(), hasV, hasA, hasT);
            String chosen = applyContentDefaults(content);
            if (chosen != null) {
                spec.commandLine().getOut().println(chosen);
            }
            RunConfig config = runConfig();
            Map<String, Object> settings = settings(dir);
            try {
                if (runs > 1) {
                    if (rank != null) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                                "--runs > 1 cannot be combined with data-parallel training (--nproc/--world-size)");
                    }
                    if (baselines) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--baselines compares "
                                + "one run with the baselines; with --runs > 1 train the id-only baseline as its own "
                                + "--runs (--lr_lambda 0 --num_sample 0 --select-on val:warm:...) and the content "
                                + "ones with evaluate --baselines (scripts/bench-accuracy.sh does both)");
                    }
                    if (distributed.replayRanks > 1 || distributed.sparseUpdates) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--runs > 1 trains "
                                + "ordinary single-process runs; it cannot be combined with --replay-ranks or "
                                + "--sparse-updates");
                    }
                    return RepeatedReport.run(spec.commandLine().getOut(), data, content, config, runs, parallel, out,
                            prefix + saveFile, settings) ? 0 : 1;
                }
                return trainHere(data, content, config, settings, rank) ? 0 : 1;
            } catch (dev.clcrec.engine.ClcrecException e) {
                if (e.status() != dev.clcrec.engine.ClcrecException.OUT_OF_MEMORY) {
                    throw e;
                }
                // The engine cannot know which flag sized the allocation; these are the ones that do.
                throw new IllegalStateException(e.getMessage() + "; the model and its batches are sized by --dim_E "
                        + dimE + ", --batch_size " + batchSize + " and --num_neg " + numNeg + ": try smaller values", e);
            }
        }
    }

    /** Every flag's range, before anything is read (each error names its flag). */
    void checkFlags() {
        applyReferenceDefaults();
        FlagChecks c = new FlagChecks(spec);
        c.positiveFinite("--l_r", learningRate)
                .nonNegativeFinite("--reg_weight", regWeight)
                .nonNegativeFinite("--content-fusion", contentFusion)
                .intRange("--num_workers", numWorkers, 0, FlagChecks.MAX_WORKERS)
                .intRange("--num_neg", numNeg, 1, FlagChecks.MAX_NUM_NEG)
                .unitInterval("--lr_lambda", lrLambda)
                .positiveFinite("--temp_value", tempValue)
                .halfOpenUnitInterval("--average-weights", averageWeights)
                .nonNegativeFinite("--re-temp-value", reTempValue)
                .unitInterval("--num_sample", numSample)
                .intRange("--batch_size", batchSize, 1, FlagChecks.MAX_BATCH_SIZE)
                .intRange("--dim_E", dimE, 1, FlagChecks.MAX_DIM_E)
                .intRange("--hidden_dim", hiddenDim, 1, FlagChecks.MAX_DIM_E)
                .intRange("--topK", topK, 1, FlagChecks.MAX_K)
                .intRange("--step", step, 1, Integer.MAX_VALUE)
                .intRange("--num_epoch", numEpoch, 1, Integer.MAX_VALUE)
                .intRange("--threads", threads, 0, FlagChecks.MAX_THREADS)
                .intRange("--patience", patience, 1, Integer.MAX_VALUE)
                .eachInRange("--ks", ks, 1, FlagChecks.MAX_K)
                .nonNegativeFinite("--max-minutes", maxMinutes)
                .intRange("--lr-decays", lrDecays, 0, FlagChecks.MAX_LR_DECAYS)
                .intRange("--lr-decay-patience", lrDecayPatience, 1, Integer.MAX_VALUE)
                .intRange("--lr-decay-warmup", lrDecayWarmup, 0, Integer.MAX_VALUE)
                .fileNameIn("--save_file", saveFile, out, false)
                .fileNameIn("--prefix", prefix, out, true);
        if (!(lrDecay > 0 && lrDecay < 1)) {
            throw c.fail("--lr-decay", Double.toString(lrDecay), "must be between 0 and 1 (exclusive)");
        }
        if (distillWeights.length != 4) {
            throw c.fail("--distill-weights", String.join(",", java.util.Arrays.stream(distillWeights)
                    .mapToObj(Double::toString).toList()), "needs 4 weights: SUP,RANK,IDENT,RATING");
        }
        for (double w : distillWeights) {
            c.nonNegativeFinite("--distill-weights", w);
        }
        c.intRange("--distill-epochs", distillEpochs, 1, Integer.MAX_VALUE)
                .positiveFinite("--distill-lr", distillLr)
                .nonNegativeFinite("--distill-popularity", distillPopularity);
        long rows = (long) batchSize * (1 + numNeg);
        if (rows > FlagChecks.MAX_STEP_ROWS) {
            throw c.fail("--batch_size " + batchSize + " x (1 + --num_neg " + numNeg + ")", "= " + rows,
                    "rows per step, more than " + FlagChecks.MAX_STEP_ROWS);
        }
    }

    /** Trains in this process: alone, or as one rank of the group the flags or environment describe. */
    private boolean trainHere(Dataset data, ContentFeatures content, RunConfig config, Map<String, Object> settings,
                              DistributedOptions.Rank rank) throws InterruptedException {
        if (rank == null) {
            return TrainReport.run(spec.commandLine().getOut(), data, content, config, out, prefix, saveFile, settings,
                    baselineSet(), distributed.dataParallel(null));
        }
        var backend = DistributedOptions.backend(config.model().device());
        int deviceIndex = backend == dev.clcrec.engine.ProcessGroup.Backend.NCCL
                ? Integer.parseInt(System.getenv().getOrDefault("LOCAL_RANK", "0").trim()) : 0;
        try (var group = dev.clcrec.engine.ProcessGroup.join(rank.host(), rank.port(), rank.worldSize(), rank.rank(),
                backend, deviceIndex, rank.timeout())) {
            settings.put("world_size", rank.worldSize());
            RunConfig onDevice = backend == dev.clcrec.engine.ProcessGroup.Backend.NCCL
                    ? withDeviceIndex(config, deviceIndex) : config;
            return TrainReport.run(spec.commandLine().getOut(), data, content, onDevice, out, prefix, saveFile,
                    settings, baselineSet(), distributed.dataParallel(group));
        }
    }

    private Baselines baselineSet() {
        return baselines ? Baselines.ALL : Baselines.NONE;
    }

    private static RunConfig withDeviceIndex(RunConfig c, int index) {
        return c.withModel(c.model().withDeviceIndex(index));
    }

    RunConfig runConfig() {
        applyReferenceDefaults();
        checkRuns();
        Device dev = parseDevice();
        ModelConfig model = ModelConfig.defaults(1, 1, 1).withDimE(dimE).withHiddenDim(hiddenDim)
                .withTempValue(tempValue).withReTempValue(reTempValue).withLrLambda(lrLambda).withRegWeight(regWeight).withLearningRate(learningRate).withDevice(dev).withNumThreads(threads)
                .withTrainWordEmbedding(!frozenWords).withSeed(seed);
        SamplingConfig sampling = new SamplingConfig(batchSize, numNeg, numSample, seed, numWorkers, referenceNegatives,
                hybrid == HybridUnit.GROUPS);
        Path best = weightSave != null ? weightSave : out.resolve(prefix + "best.ckpt");
        TrainOptions options = new TrainOptions(numEpoch, patience, selection(), best,
                out.resolve(prefix + "last.ckpt"), maxMinutes * 60, new LearningRateDecay(lrDecay, lrDecayPatience,
                effectiveLrDecays(), lrDecayWarmup), averageWeights);
        Distillation.Options distillation = !distill ? null : new Distillation.Options(new DistillTerms(
                distillWeights[0], distillWeights[1], distillWeights[2], distillWeights[3], distillLr),
                distillEpochs, 3, 1024, distillPopularity);
        return new RunConfig(model, sampling, options, ks, step, weightLoad, distillation, contentFusion);
    }

    /**
     * With --reference-defaults, every changed flag the command line did not give takes the
     * reference's value (TrainDefaults); flags given keep theirs. Idempotent.
     */
    void applyReferenceDefaults() {
        if (!referenceDefaults) {
            return;
        }
        for (TrainDefaults.Flag f : TrainDefaults.CHANGED) {
            if (given(f.name())) {
                continue;
            }
            assign(f.name(), f.reference());
        }
    }

    /** Sets the field of a model flag to a default given as the command line would give it. */
    private void assign(String flag, String value) {
        switch (flag) {
            case "--l_r" -> learningRate = Double.parseDouble(value);
            case "--reg_weight" -> regWeight = Double.parseDouble(value);
            case "--num_neg" -> numNeg = Integer.parseInt(value);
            case "--lr_lambda" -> lrLambda = Double.parseDouble(value);
            case "--temp_value" -> tempValue = Double.parseDouble(value);
            case "--num_sample" -> numSample = Double.parseDouble(value);
            case "--dim_E" -> dimE = Integer.parseInt(value);
            case "--hidden_dim" -> hiddenDim = Integer.parseInt(value);
            case "--hybrid" -> hybrid = HybridUnit.parse(value);
            case "--lr-decays" -> lrDecays = Integer.parseInt(value);
            case "--patience" -> patience = Integer.parseInt(value);
            case "--average-weights" -> averageWeights = Double.parseDouble(value);
            case "--content-fusion" -> contentFusion = java.util.Arrays.stream(value.split(","))
                    .mapToDouble(Double::parseDouble).toArray();
            default -> throw new IllegalStateException("no field for " + flag);
        }
    }

    /**
     * The defaults that depend on the content (TrainDefaults): rich content (RICH_CONTENT_COLUMNS
     * columns or more) takes a wider embedding and fewer negatives, thin content the paper's
     * temperature and step size, a lighter regulariser and a wider encoder; a flag the command line
     * gives keeps its value, and --reference-defaults keeps the reference's. Returns the line to print
     * when it chose anything (the same command trains differently on different data, so it says so),
     * else null.
     */
    String applyContentDefaults(ContentFeatures content) {
        long columns = content.modalities().stream().mapToLong(dev.clcrec.engine.FeatureMatrix::cols).sum();
        if (referenceDefaults) {
            return null;
        }
        boolean rich = columns >= TrainDefaults.RICH_CONTENT_COLUMNS;
        if (rich) {
            choose("--dim_E", Integer.toString(TrainDefaults.RICH_DIM_E));
            choose("--num_neg", Integer.toString(TrainDefaults.RICH_NUM_NEG));
            if (!given("--l_r") && meanNonZeros(content) < TrainDefaults.DENSE_EVIDENCE_COLUMNS) {
                choose("--content-fusion", TrainDefaults.CONTENT_FUSION);
            }
        } else {
            choose("--temp_value", TrainDefaults.THIN_TEMP_VALUE);
            choose("--l_r", TrainDefaults.THIN_L_R);
            choose("--reg_weight", TrainDefaults.THIN_REG_WEIGHT);
            // A command that chose --l_r, as the authors' commands do, trains as the reference
            // would: a fixed step size (effectiveLrDecays), the reference's encoder width and its
            // stopping rule.
            if (!given("--l_r")) {
                choose("--hidden_dim", TrainDefaults.THIN_HIDDEN_DIM);
                choose("--lr-decays", TrainDefaults.THIN_LR_DECAYS);
                choose("--patience", TrainDefaults.THIN_PATIENCE);
                choose("--average-weights", TrainDefaults.THIN_AVERAGE_WEIGHTS);
                choose("--content-fusion", TrainDefaults.CONTENT_FUSION);
            }
        }
        if (chosenForContent.isEmpty()) {
            return null;
        }
        String regime = String.format(java.util.Locale.ROOT, rich ? "rich: %,d or more" : "thin: under %,d",
                TrainDefaults.RICH_CONTENT_COLUMNS);
        List<String> flags = new ArrayList<>();
        chosenForContent.forEach((flag, value) -> flags.add(flag + " " + value));
        return String.format(java.util.Locale.ROOT, "content is %,d columns wide (%s): %s by default; pass the flags "
                + "to choose", columns, regime, String.join(" ", flags));
    }

    /** Non-zero content values per item, on average over all modalities. */
    private static double meanNonZeros(ContentFeatures content) {
        long nonZero = 0;
        for (dev.clcrec.engine.FeatureMatrix f : content.modalities()) {
            long n = f.rows() * f.cols();
            for (long i = 0; i < n; i++) {
                if (f.data().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i) != 0) {
                    nonZero++;
                }
            }
        }
        return content.rows() == 0 ? 0 : (double) nonZero / content.rows();
    }

    /**
     * The flags applyContentDefaults set, in order, with their values: what a command line must give
     * to train the same way on other data (tune writes them into best.args).
     */
    Map<String, String> chosenForContent() {
        return Collections.unmodifiableMap(chosenForContent);
    }

    private final Map<String, String> chosenForContent = new LinkedHashMap<>();

    /** Sets a content-dependent default unless the command line gave the flag. */
    private void choose(String flag, String value) {
        if (given(flag) || chosenForContent.containsKey(flag)) {
            return;
        }
        assign(flag, value);
        chosenForContent.put(flag, value);
    }

    /**
     * {@code --lr-decays}, or 0 when the command chose {@code --l_r} and not the schedule: the
     * authors' commands pass every reference flag and train at a fixed step size, as they did.
     */
    int effectiveLrDecays() {
        return given("--l_r") && !given("--lr-decays") ? 0 : lrDecays;
    }

    /** Whether the command line gave {@code flag} (defaults only fill the flags it did not). */
    private boolean given(String flag) {
        var parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(flag);
    }

    SelectionCriterion selection() {
        if (selectOn == null) {
            if (topK < 1) {
                throw new ParameterException(spec.commandLine(), "--topK must be >= 1, got " + topK);
            }
            return SelectionCriterion.reference(topK);
        }
        try {
            return SelectionCriterion.parse(selectOn);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--select-on " + e.getMessage());
        }
    }

    private void checkRuns() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be >= 1, got " + runs);
        }
        if (parallel < 1 || parallel > Math.min(runs, cores)) {
            throw new ParameterException(spec.commandLine(), "--parallel must be between 1 and min(--runs, "
                    + cores + " cores) = " + Math.min(runs, cores) + ", got " + parallel);
        }
        if (runs > 1 && weightLoad != null) {
            throw new ParameterException(spec.commandLine(), "--runs > 1 trains from scratch; it cannot be combined "
                    + "with --PATH_weight_load");
        }
    }

    private Device parseDevice() {
        if (noCuda) {
            return Device.CPU;
        }
        return switch (device.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> Device.AUTO;
            case "cpu" -> Device.CPU;
            case "cuda", "gpu" -> Device.CUDA;
            default -> throw new ParameterException(spec.commandLine(), "--device '" + device + "': use auto, cpu or cuda");
        };
    }

    private Map<String, Object> settings(Path dir) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data_path", dir.toString());
        s.put("l_r", learningRate);
        s.put("reg_weight", regWeight);
        s.put("num_neg", numNeg);
        s.put("num_sample", numSample);
        s.put("hybrid", hybrid.flagValue());
        s.put("lr_lambda", lrLambda);
        s.put("temp_value", tempValue);
        s.put("re_temp_value", reTempValue);
        s.put("has_v", hasV);
        s.put("has_a", hasA);
        s.put("has_t", hasT);
        s.put("batch_size", batchSize);
        s.put("dim_E", dimE);
        s.put("hidden_dim", hiddenDim);
        s.put("topK", topK);
        s.put("step", step);
        s.put("num_epoch", numEpoch);
        s.put("num_workers", numWorkers);
        s.put("seed", seed);
        s.put("threads", threads);
        s.put("patience", patience);
        s.put("reference_negatives", referenceNegatives);
        s.put("frozen_words", frozenWords);
        s.put("reference_defaults", referenceDefaults);
        s.put("lr_decays", effectiveLrDecays());
        s.put("lr_decay", lrDecay);
        s.put("lr_decay_patience", lrDecayPatience);
        s.put("lr_decay_warmup", lrDecayWarmup);
        s.put("average_weights", averageWeights);
        s.put("select_on", selection().toString());
        s.put("runs", runs);
        s.put("distill", distill);
        if (distill) {
            s.put("distill_weights", distillWeights.clone());
            s.put("distill_epochs", distillEpochs);
            s.put("distill_lr", distillLr);
            s.put("distill_popularity", distillPopularity);
        }
        s.put("sparse_updates", distributed.sparseUpdates);
        s.put("replay_ranks", distributed.replayRanks);
        s.put("rank_order_reduction", distributed.rankOrderReduction);
        return s;
    }
}
